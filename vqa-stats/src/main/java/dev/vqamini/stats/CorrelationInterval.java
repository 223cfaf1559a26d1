package dev.vqamini.stats;

import org.apache.commons.math3.util.FastMath;

/**
 * 95 % confidence intervals of correlations by Fisher's z transform, and of the difference of two independent
 * correlations by Zou's method (Zou 2007, Psychological Methods 12:399). The variance of z is 1/(n-3) for Pearson,
 * 1.06/(n-3) for Spearman and 0.437/(n-4) for Kendall (Fieller, Hartley and Pearson 1957).
 *
 * @param low  lower bound
 * @param high upper bound
 */
public record CorrelationInterval(double low, double high) {

    private static final double Z95 = 1.959963984540054;

    /** No interval yet (too few videos). */
    public static final CorrelationInterval UNKNOWN = new CorrelationInterval(Double.NaN, Double.NaN);

    public static CorrelationInterval pearson(double r, int n) {
        return n > 3 ? fisher(r, 1.0 / (n - 3)) : UNKNOWN;
    }

    public static CorrelationInterval spearman(double r, int n) {
        return n > 3 ? fisher(r, 1.06 / (n - 3)) : UNKNOWN;
    }

    public static CorrelationInterval kendall(double r, int n) {
        return n > 4 ? fisher(r, 0.437 / (n - 4)) : UNKNOWN;
    }

    private static CorrelationInterval fisher(double r, double variance) {
        double clipped = Math.max(-0.999999, Math.min(0.999999, r));
        double z = 0.5 * Math.log((1 + clipped) / (1 - clipped));
        double half = Z95 * Math.sqrt(variance);
        return new CorrelationInterval(FastMath.tanh(z - half), FastMath.tanh(z + half));
    }

    /** The interval of r1 - r2 from each correlation's own interval (Zou 2007, independent samples). */
    public static CorrelationInterval difference(double r1, CorrelationInterval i1, double r2, CorrelationInterval i2) {
        if (!i1.known() || !i2.known()) {
            return UNKNOWN;
        }
        double d = r1 - r2;
        return new CorrelationInterval(d - Math.sqrt(sq(r1 - i1.low) + sq(i2.high - r2)),
                d + Math.sqrt(sq(i1.high - r1) + sq(r2 - i2.low)));
    }

    /**
     * The interval of r12 - r13 where both correlations share variable 1 and are measured on the same subjects
     * (Zou 2007, example 2: dependent overlapping correlations), e.g. SRCC(candidate, MOS) - SRCC(stable, MOS) on
     * the same videos. Like {@link #difference} but the two errors are correlated: {@code r23} (the correlation
     * of variables 2 and 3, e.g. candidate against stable) gives their correlation c, and the half-widths shrink by
     * the 2c terms. With r23 high (two versions that mostly agree), a small drop is already significant.
     */
    public static CorrelationInterval overlappingDifference(double r12, CorrelationInterval i12, double r13,
                                                            CorrelationInterval i13, double r23) {
        if (!i12.known() || !i13.known() || Double.isNaN(r23)) {
            return UNKNOWN;
        }
        double c = overlapCorrelation(r12, r13, r23);
        double d = r12 - r13;
        double lo12 = r12 - i12.low;
        double hi12 = i12.high - r12;
        double lo13 = r13 - i13.low;
        double hi13 = i13.high - r13;
        double low = d - Math.sqrt(Math.max(0, sq(lo12) + sq(hi13) - 2 * c * lo12 * hi13));
        double high = d + Math.sqrt(Math.max(0, sq(hi12) + sq(lo13) - 2 * c * hi12 * lo13));
        return new CorrelationInterval(low, high);
    }

    /**
     * corr(r12, r13) for overlapping correlations, the large-sample expression Zou (2007) uses (after Pearson and
     * Filon; Steiger 1980, eq. 3 divided by the variances).
     */
    static double overlapCorrelation(double r12, double r13, double r23) {
        double num = (r23 - 0.5 * r12 * r13) * (1 - sq(r12) - sq(r13) - sq(r23)) + r23 * r23 * r23;
        double den = (1 - sq(r12)) * (1 - sq(r13));
        return den <= 0 ? 1 : Math.max(-1, Math.min(1, num / den));
    }

    public boolean known() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    private static double sq(double x) {
        return x * x;
    }
}
