/**
 * Model bundles on disk (manifest, ONNX graphs and weights with their sha256, as a directory or zip), the loader of
 * every weights form a user passes, and {@link dev.vqamini.model.bundle.ModelRelease}, the one way a bundle is
 * published on vqa.models.
 */
package dev.vqamini.model.bundle;
