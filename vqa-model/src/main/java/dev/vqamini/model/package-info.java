/**
 * DOVER-Mobile as a {@link dev.vqamini.model.QualityModel}: definitions (spec, weights, fusion constants), loading from .pth, .safetensors or bundles, the bootstrap model.
 */
package dev.vqamini.model;
