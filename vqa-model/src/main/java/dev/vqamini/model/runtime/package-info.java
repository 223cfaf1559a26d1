/**
 * ONNX Runtime sessions per branch (CUDA when asked and usable, CPU otherwise) and what a run returns.
 */
package dev.vqamini.model.runtime;
