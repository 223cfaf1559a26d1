/**
 * Model bundles on disk (manifest, ONNX graphs and weights with their sha256, as a directory or zip) and the loader of
 * every weights form a user passes. Publishing a bundle is {@code dev.vqamini.release.ModelRelease}'s job.
 */
package dev.vqamini.model.bundle;
