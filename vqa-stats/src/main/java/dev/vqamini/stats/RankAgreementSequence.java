package dev.vqamini.stats;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.util.FastMath;

/**
 * The sequential test of two versions' agreement: is the population Spearman correlation rho of their scores on
 * the same videos at least {@code minAgreement} (acceptable), or at most {@code minAgreement - indifference}
 * (unacceptable)? A {@link SequentialTest} on Fisher's z of an unbiased estimate of rho, with error rates
 * {@code alpha} (roll back an acceptable candidate) and {@code beta} (pass an unacceptable one) over every look.
 *
 * <p>Why each piece (each measured by simulation on bivariate normal scores, see the tests and
 * {@code vqa rollout simulate}):
 * <ul>
 *   <li>the sample SRCC is biased low by O(1/n): a weighted sum of two U-statistics, its mean is
 *       {@code ((n - 2) rho + 3 tau) / (n + 1)} (tau is Kendall's), so {@code ((n + 1) r_s - 3 tau_hat) / (n - 2)}
 *       is unbiased for rho;</li>
 *   <li>its variance on the z scale is Bonett and Wright's (2000) {@code (1 + rho^2 / 2) / (n - 3)} times the
 *       estimator's scale {@code ((n + 1) / (n - 2))^2}, and z's Jensen bias (about half the variance times rho) is
 *       taken off;</li>
 *   <li>z is capped at {@code atanh(minAgreement) + }{@link #Z_CAP}: a handful of perfectly ranked videos would
 *       otherwise be infinite evidence, while at rho just under the threshold perfect small rankings are common;</li>
 *   <li>no look before {@link #MIN_PAIRS} pairs.</li>
 * </ul>
 *
 * @param minAgreement rho at or above which the candidate is acceptable
 * @param indifference the margin below it where either decision is acceptable
 */
public record RankAgreementSequence(double minAgreement, double indifference, double alpha, double beta) {

    /** Looks start at this many paired videos. */
    public static final int MIN_PAIRS = 8;
    /** How far above the acceptable value (on the z scale) one look's estimate may count. */
    public static final double Z_CAP = 1.5;

    public RankAgreementSequence {
        if (!(minAgreement > -1 && minAgreement < 1)) {
            throw new IllegalArgumentException("min agreement must be in (-1, 1), got " + minAgreement);
        }
        if (!(indifference > 0 && minAgreement - indifference > -1)) {
            throw new IllegalArgumentException("indifference must be > 0 and leave min agreement - indifference above -1, got "
                    + indifference + " with min agreement " + minAgreement);
        }
        test(minAgreement, indifference, alpha, beta); // checks alpha and beta
    }

    /** One look on the agreement scale: estimate, boundaries and confidence sequence mapped back from z. */
    public record Look(int n, double agreement, double evidence, double failBelow, double passAbove, double low, double high,
                       SequentialTest.Outcome outcome) {
    }

    /** Looks at the paired scores so far (same videos, same order). */
    public Look look(double[] stable, double[] candidate) {
        if (stable.length != candidate.length) {
            throw new IllegalArgumentException(stable.length + " stable scores but " + candidate.length + " candidate scores");
        }
        int n = stable.length;
        if (n < MIN_PAIRS) {
            return new Look(n, Double.NaN, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, SequentialTest.Outcome.CONTINUE);
        }
        double rs = PairedAgreement.correlation(new SpearmansCorrelation().correlation(stable, candidate), stable, candidate);
        double tau = PairedAgreement.correlation(new KendallsCorrelation().correlation(stable, candidate), stable, candidate);
        double z = Math.min(z(unbiased(rs, tau, n), n), FastMath.atanh(minAgreement) + Z_CAP);
        SequentialTest test = test(minAgreement, indifference, alpha, beta);
        double information = 1 / variance(minAgreement, n);
        SequentialTest.Look look = test.look(z, information);
        double[] cs = test.confidenceSequence(z, information, test.fixedSampleInformation() / 4);
        return new Look(n, FastMath.tanh(z), look.evidence(), FastMath.tanh(look.failAt()), FastMath.tanh(look.passAt()),
                FastMath.tanh(cs[0]), FastMath.tanh(cs[1]), look.outcome());
    }

    /** Paired videos a fixed-sample test with the same error rates and margin needs. */
    public int fixedSampleSize() {
        double information = test(minAgreement, indifference, alpha, beta).fixedSampleInformation();
        return (int) Math.ceil(information * (1 + minAgreement * minAgreement / 2) + 3);
    }

    /** The unbiased estimate of the population Spearman correlation from the sample's SRCC and Kendall's tau. */
    public static double unbiased(double srcc, double kendallTau, int n) {
        return ((n + 1) * srcc - 3 * kendallTau) / (n - 2);
    }

    /** Fisher's z of the unbiased estimate, less its Jensen bias. */
    static double z(double estimate, int n) {
        double r = Math.max(-0.999999, Math.min(0.999999, estimate));
        return FastMath.atanh(r) - r * variance(r, n) / 2;
    }

    /** Variance on the z scale of the unbiased estimate at rho with n pairs. */
    static double variance(double rho, int n) {
        double scale = (n + 1.0) / (n - 2.0);
        return (1 + rho * rho / 2) * scale * scale / (n - 3);
    }

    private static SequentialTest test(double minAgreement, double indifference, double alpha, double beta) {
        return new SequentialTest(FastMath.atanh(minAgreement), FastMath.atanh(minAgreement - indifference), alpha, beta);
    }
}
