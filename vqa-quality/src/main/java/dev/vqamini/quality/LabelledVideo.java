package dev.vqamini.quality;

/** A scored video with its human score: one point of a version's correlation. */
public record LabelledVideo(String videoId, String modelVersion, double fused, double mos, long scoredAtMs) {
}
