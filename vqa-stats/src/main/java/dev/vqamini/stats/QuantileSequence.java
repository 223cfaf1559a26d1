package dev.vqamini.stats;

import java.util.Arrays;

/**
 * Anytime-valid confidence intervals for a quantile of i.i.d. observations, from the time-uniform
 * Dvoretzky-Kiefer-Wolfowitz bound of Howard and Ramdas (2022, "Sequential estimation of quantiles with applications
 * to A/B-testing and best-arm identification", Theorem 2): with probability at least {@code 1 - alpha}, at every n
 * at once, {@code sup_x |F_n(x) - F(x)| <= 0.85 sqrt((log log(e n) + 0.8 log(1612 / alpha)) / n)}. The quantile
 * {@code q} then lies between the empirical quantiles at {@code q - eps} and {@code q + eps} (an end is infinite
 * where that level leaves [0, 1]). Distribution-free, so wide: it suits "confidently worse", not fine comparisons.
 */
public final class QuantileSequence {

    private QuantileSequence() {
    }

    /** The band's half-width at n observations and level alpha. */
    public static double epsilon(int n, double alpha) {
        if (n < 1) {
            return Double.POSITIVE_INFINITY;
        }
        return 0.85 * Math.sqrt((Math.log(Math.log(Math.E * n)) + 0.8 * Math.log(1612 / alpha)) / n);
    }

    /**
     * The empirical quantile and its interval.
     *
     * @return {estimate, low, high}; NaN for no observations, infinite ends where the band leaves [0, 1]
     */
    public static double[] interval(double[] values, double q, double alpha) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), got " + q);
        }
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double eps = epsilon(sorted.length, alpha);
        double low = q - eps <= 0 ? Double.NEGATIVE_INFINITY : at(sorted, q - eps);
        double high = q + eps >= 1 ? Double.POSITIVE_INFINITY : at(sorted, q + eps);
        return new double[] {at(sorted, q), low, high};
    }

    /** The smallest value whose empirical CDF reaches p (the left-continuous inverse). */
    private static double at(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
