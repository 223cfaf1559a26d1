package dev.vqamini.quality;

import dev.vqamini.stats.PairedAgreement;

/**
 * Two versions' fused scores of the same videos, in the order they were paired, with MOS where labelled (NaN
 * where not).
 */
public record PairedScores(double[] stable, double[] candidate, double[] mos) {

    public PairedScores {
        if (stable.length != candidate.length || stable.length != mos.length) {
            throw new IllegalArgumentException("paired arrays differ in length: " + stable.length + ", " + candidate.length
                    + ", " + mos.length);
        }
    }

    public static PairedScores none() {
        return new PairedScores(new double[0], new double[0], new double[0]);
    }

    public int n() {
        return stable.length;
    }

    /** Agreement and, with MOS, the paired SRCC difference. */
    public PairedAgreement agreement() {
        return PairedAgreement.of(stable, candidate, mos);
    }
}
