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

    public boolean known() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    private static double sq(double x) {
        return x * x;
    }
}
