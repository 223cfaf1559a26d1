package dev.vqamini.model;

/**
 * The scores of one video: branch scores (mean over clips of the head output) and their fusion in [0,1].
 *
 * @param modelVersion the model version that produced them
 */
public record VideoScore(String modelVersion, double technical, double aesthetic, double fused) {
}
