/**
 * Model bundles: manifest, ONNX graphs and weights with their sha256, as a directory or zip.
 */
package dev.vqamini.model.bundle;
