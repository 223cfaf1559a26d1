package dev.vqamini.model.runtime;

/**
 * What a branch computes for N clips.
 *
 * @param headMap      the head's output before pooling, N x 1 x T' x H' x W', row-major
 * @param headMapShape its shape
 * @param scores       per clip, the mean of its head map
 */
public record BranchOutput(float[] headMap, long[] headMapShape, float[] scores) {

    /** The branch score of a video: the mean over its clips. */
    public double meanScore() {
        double s = 0;
        for (float v : scores) {
            s += v;
        }
        return s / scores.length;
    }
}
