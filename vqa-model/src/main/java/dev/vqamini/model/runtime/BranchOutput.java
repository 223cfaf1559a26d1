package dev.vqamini.model.runtime;

import java.util.Map;

/**
 * What a branch computes for N clips.
 *
 * @param headMap      the head's output before pooling, N x 1 x T' x H' x W', row-major
 * @param headMapShape its shape
 * @param scores       per clip, the mean of its head map
 * @param features     per clip, the backbone output averaged over positions, N x C row-major
 * @param positionFeatures per clip and spatial position, the backbone output averaged over time, N x H' x W' x C
 * @param extras       any further outputs of the graph (probes), by name, N x C row-major
 */
public record BranchOutput(float[] headMap, long[] headMapShape, float[] scores, float[] features,
                           float[] positionFeatures, Map<String, float[]> extras) {

    /** The branch score of a video: the mean over its clips. */
    public double meanScore() {
        double s = 0;
        for (float v : scores) {
            s += v;
        }
        return s / scores.length;
    }

    /** The backbone features averaged over clips (C values). */
    public double[] meanFeatures() {
        int c = features.length / scores.length;
        double[] mean = new double[c];
        for (int i = 0; i < features.length; i++) {
            mean[i % c] += features[i] / scores.length;
        }
        return mean;
    }

    /**
     * The head map averaged over time: one value per clip and spatial position (N x H' x W'), aligned with
     * {@link #positionFeatures}.
     */
    public double[] positionScores() {
        int t = Math.toIntExact(headMapShape[2]);
        int positions = headMap.length / t / scores.length;
        double[] out = new double[scores.length * positions];
        for (int n = 0; n < scores.length; n++) {
            for (int i = 0; i < t; i++) {
                for (int p = 0; p < positions; p++) {
                    out[n * positions + p] += headMap[(n * t + i) * positions + p] / t;
                }
            }
        }
        return out;
    }
}
