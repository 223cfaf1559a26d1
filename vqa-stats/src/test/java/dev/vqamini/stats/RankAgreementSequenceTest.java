package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class RankAgreementSequenceTest {

    @Test
    void theSampleSrccHasItsClosedFormBiasAndTheUStatisticNone() {
        // bivariate normal with Pearson r: rho_s = (6 / pi) asin(r / 2), tau = (2 / pi) asin(r), and
        // E[r_s] = ((n - 2) rho_s + 3 tau) / (n + 1) (r_s is a weighted sum of two U-statistics)
        double r = 0.9;
        int n = 10;
        double rhoS = 6 / Math.PI * Math.asin(r / 2);
        double tau = 2 / Math.PI * Math.asin(r);
        SplittableRandom random = new SplittableRandom(1);
        int samples = 20_000;
        double sumRaw = 0;
        double sumUnbiased = 0;
        for (int k = 0; k < samples; k++) {
            double[][] xy = bivariate(random, r, n);
            double rs = new SpearmansCorrelation().correlation(xy[0], xy[1]);
            sumRaw += rs;
            sumUnbiased += RankAgreementSequence.unbiased(rs, new KendallsCorrelation().correlation(xy[0], xy[1]), n);
        }
        // standard error of a mean of 20,000 estimates with sd under 0.15: about 0.001
        assertEquals(((n - 2) * rhoS + 3 * tau) / (n + 1), sumRaw / samples, 0.004);
        assertEquals(rhoS, sumUnbiased / samples, 0.004);
        assertTrue(rhoS - sumRaw / samples > 0.02, "the raw SRCC is biased low at n = 10");
    }

    @Test
    void theConfidenceSequenceCoversTheAgreementAtEveryLook() {
        RankAgreementSequence test = new RankAgreementSequence(0.9, 0.05, 0.05, 0.05);
        SplittableRandom random = new SplittableRandom(2);
        int paths = 300;
        int missed = 0;
        for (double a : new double[] {0.6, 0.9}) {
            double r = 2 * Math.sin(Math.PI * a / 6);
            for (int p = 0; p < paths; p++) {
                double[][] xy = bivariate(random, r, 300);
                for (int n = RankAgreementSequence.MIN_PAIRS; n <= 300; n += 4) {
                    RankAgreementSequence.Look look = test.look(Arrays.copyOf(xy[0], n), Arrays.copyOf(xy[1], n));
                    if (a < look.low() || a > look.high()) {
                        missed++;
                        break;
                    }
                }
            }
        }
        double rate = missed / (2.0 * paths);
        assertTrue(rate <= 0.1 + 3 * Math.sqrt(0.1 * 0.9 / (2 * paths)), "missed on " + missed + " of " + 2 * paths + " paths");
    }

    @Test
    void identicalScoresPassOnceThereAreEnoughAndScrambledOnesFail() {
        RankAgreementSequence test = new RankAgreementSequence(0.9, 0.05, 0.05, 0.05);
        double[] s = new SplittableRandom(3).doubles(40).toArray();
        assertEquals(SequentialTest.Outcome.CONTINUE, test.look(Arrays.copyOf(s, 7), Arrays.copyOf(s, 7)).outcome(),
                "no look below " + RankAgreementSequence.MIN_PAIRS);
        int n = RankAgreementSequence.MIN_PAIRS;
        while (test.look(Arrays.copyOf(s, n), Arrays.copyOf(s, n)).outcome() == SequentialTest.Outcome.CONTINUE) {
            n++;
        }
        assertEquals(SequentialTest.Outcome.PASS, test.look(Arrays.copyOf(s, n), Arrays.copyOf(s, n)).outcome());
        assertTrue(n >= 12 && n <= 25, "identical scores pass after " + n + " pairs: capped evidence, not at once");
        double[] reversed = Arrays.stream(s).map(x -> -x).toArray();
        assertEquals(SequentialTest.Outcome.FAIL, test.look(Arrays.copyOf(s, 10), Arrays.copyOf(reversed, 10)).outcome());
    }

    @Test
    void theFixedSampleSizeIsTheUsualOne() {
        // ((1.645 + 1.645) / (atanh 0.9 - atanh 0.85))^2 x (1 + 0.81 / 2) + 3
        double dz = 0.5 * Math.log(1.9 / 0.1) - 0.5 * Math.log(1.85 / 0.15);
        int expected = (int) Math.ceil(Math.pow(2 * 1.6448536 / dz, 2) * 1.405 + 3);
        assertEquals(expected, new RankAgreementSequence(0.9, 0.05, 0.05, 0.05).fixedSampleSize());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RankAgreementSequence(1.0, 0.05, 0.05, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new RankAgreementSequence(0.9, 0, 0.05, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new RankAgreementSequence(-0.5, 0.6, 0.05, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new RankAgreementSequence(0.9, 0.05, 0.05, 1.5));
    }

    static double[][] bivariate(SplittableRandom random, double r, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
            y[i] = r * x[i] + Math.sqrt(1 - r * r) * random.nextGaussian();
        }
        return new double[][] {x, y};
    }
}
