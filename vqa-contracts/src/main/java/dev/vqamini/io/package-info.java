/**
 * NumPy {@code .npy} arrays: float32 model inputs and outputs, uint8 views.
 */
package dev.vqamini.io;
