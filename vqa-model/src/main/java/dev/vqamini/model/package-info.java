/**
 * DOVER-Mobile as a {@link dev.vqamini.model.QualityModel}: definitions (spec, weights, fusion constants), the
 * bootstrap model's seeded weights, and ONNX Runtime sessions per branch.
 */
package dev.vqamini.model;
