package dev.vqamini.model.runtime;

/**
 * What a branch computes for N clips.
 *
 * @param headMap      the head's output before pooling, N x 1 x T' x H' x W', row-major
 * @param headMapShape its shape
 * @param scores       per clip, the mean of its head map
 * @param features     per clip, the backbone output averaged over positions, N x C row-major
 * @param extras       any further outputs of the graph (probes), by name, N x C row-major
 */
public record BranchOutput(float[] headMap, long[] headMapShape, float[] scores, float[] features,
                           java.util.Map<String, float[]> extras) {

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
}
