package dev.vqamini.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Wald's sequential probability ratio test between an acceptable and an unacceptable value of a parameter, for an
 * estimate that is approximately normal with known information {@code I} (one over its variance) and whose path
 * {@code I x estimate} grows with independent increments (a Brownian motion with drift, the large-sample behaviour
 * of correlations on Fisher's z scale and of U-statistics). The likelihood ratio of the two values is then
 * {@code exp(I (bad - good) (estimate - (good + bad) / 2))}.
 *
 * <p>The thresholds are Ville's, not Wald's approximations: fail once the ratio reaches {@code 1 / alpha}, pass once
 * it falls to {@code beta}. The ratio is a nonnegative supermartingale for every parameter on the acceptable side
 * of {@code good} (and its inverse for every value beyond {@code bad}), so the error rates hold at all looks at
 * once, however often one looks, whenever one stops, and also when one keeps looking after a pass (anytime-valid).
 *
 * @param good  the parameter at the edge of the acceptable values
 * @param bad   the parameter at the edge of the unacceptable ones (on the other side of good)
 * @param alpha the most probable a fail is when the parameter is acceptable
 * @param beta  the most probable a pass is when the parameter is unacceptable
 */
public record SequentialTest(double good, double bad, double alpha, double beta) {

    /** What one look says. */
    public enum Outcome { PASS, FAIL, CONTINUE }

    /**
     * One look at the evidence.
     *
     * @param estimate    the estimate looked at
     * @param information one over its variance
     * @param evidence    likelihood ratio of bad to good (an e-value against the acceptable hypothesis)
     * @param failAt      the estimate at or beyond which this look fails (on bad's side)
     * @param passAt      the estimate it must reach (on good's side) to pass
     */
    public record Look(double estimate, double information, double evidence, double failAt, double passAt, Outcome outcome) {
    }

    public SequentialTest {
        if (!(alpha > 0 && alpha < 1 && beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("alpha and beta must be in (0, 1), got " + alpha + " and " + beta);
        }
        if (!(good != bad) || Double.isNaN(good) || Double.isNaN(bad)) {
            throw new IllegalArgumentException("the acceptable and unacceptable values must differ, got " + good + " and " + bad);
        }
    }

    /** The look at {@code estimate} with {@code information}; no information (0) continues. */
    public Look look(double estimate, double information) {
        double delta = bad - good;
        double mid = (good + bad) / 2;
        if (!(information > 0) || Double.isNaN(estimate)) {
            return new Look(estimate, 0, 1, Double.NaN, Double.NaN, Outcome.CONTINUE);
        }
        double logRatio = information * delta * (estimate - mid);
        double failLog = Math.log(1 / alpha);
        double passLog = Math.log(beta);
        Outcome outcome = logRatio >= failLog ? Outcome.FAIL : logRatio <= passLog ? Outcome.PASS : Outcome.CONTINUE;
        return new Look(estimate, information, Math.exp(logRatio), mid + failLog / (information * delta),
                mid + passLog / (information * delta), outcome);
    }

    /**
     * The information a fixed-sample one-sided test with the same error rates needs:
     * {@code ((z(1 - alpha) + z(1 - beta)) / |good - bad|)^2}.
     */
    public double fixedSampleInformation() {
        NormalDistribution normal = new NormalDistribution();
        double z = normal.inverseCumulativeProbability(1 - alpha) + normal.inverseCumulativeProbability(1 - beta);
        return z * z / ((good - bad) * (good - bad));
    }

    /**
     * An anytime-valid confidence sequence for the parameter at this look: the one-sided normal-mixture boundaries
     * of Howard et al. (2021, eq. 14), at level {@code alpha} on bad's side and {@code beta} on good's, tuned to be
     * tightest near {@code tuneInformation}. Shown to operators beside the test; the test decides.
     *
     * @return {low, high}
     */
    public double[] confidenceSequence(double estimate, double information, double tuneInformation) {
        if (!(information > 0) || Double.isNaN(estimate)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double towardsBad = mixtureBoundary(information, tuneInformation, alpha) / information;
        double towardsGood = mixtureBoundary(information, tuneInformation, beta) / information;
        return bad < good ? new double[] {estimate - towardsBad, estimate + towardsGood}
                : new double[] {estimate - towardsGood, estimate + towardsBad};
    }

    private static double mixtureBoundary(double v, double rho, double level) {
        return Math.sqrt(2 * (v + rho) * Math.log(Math.sqrt((v + rho) / rho) / (2 * level) + 1));
    }
}
