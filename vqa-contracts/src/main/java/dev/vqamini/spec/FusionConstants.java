package dev.vqamini.spec;

/**
 * How the two branch scores fuse into one number in [0,1]:
 * {@code sigmoid((t - technicalMean) / technicalStd * technicalWeight + (a - aestheticMean) / aestheticStd * aestheticWeight)}.
 * Upstream's constants ({@link #PUBLISHED}) hold only for the published weights; any other weights, a pruned
 * model included, get their own, fitted on calibration data.
 */
public record FusionConstants(double technicalMean, double technicalStd, double aestheticMean, double aestheticStd,
                              double technicalWeight, double aestheticWeight) {

    public static final FusionConstants PUBLISHED = new FusionConstants(0.1107, 0.07355, -0.08285, 0.03774, 0.6104, 0.3896);

    public FusionConstants {
        if (!(technicalStd > 0) || !(aestheticStd > 0)) {
            throw new IllegalArgumentException("fusion std must be positive: " + technicalStd + ", " + aestheticStd);
        }
    }

    public double fuse(double technical, double aesthetic) {
        double z = (technical - technicalMean) / technicalStd * technicalWeight
                + (aesthetic - aestheticMean) / aestheticStd * aestheticWeight;
        return 1 / (1 + Math.exp(-z));
    }
}
