package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class PairedAgreementTest {

    private static final int N = 60;
    private static final int REPLICATIONS = 200;

    /**
     * A candidate that is the stable version plus noise ranks videos worse (SRCC against MOS drops by about 0.06, from 0.89).
     * At the same n labelled videos per version, the paired interval (both versions on the same videos, Zou's
     * dependent overlapping correlations) sees the drop in most replications; the independent comparison (each
     * version on its own videos, as /comparison had before) mostly does not.
     */
    @Test
    void thePairedTestDetectsAnSrccDropTheIndependentComparisonMisses() {
        SplittableRandom random = new SplittableRandom(20240611);
        int pairedDetects = 0;
        int independentDetects = 0;
        double meanDrop = 0;
        for (int rep = 0; rep < REPLICATIONS; rep++) {
            Videos shared = videos(random);
            PairedAgreement paired = PairedAgreement.of(shared.stable, shared.candidate, shared.mos);
            meanDrop += paired.srccDifference() / REPLICATIONS;
            if (paired.srccDifferenceCi().high() < 0) {
                pairedDetects++;
            }
            Videos stableOnly = videos(random); // the stable version's own videos
            Videos candidateOnly = videos(random); // the candidate's, other videos
            SpearmansCorrelation s = new SpearmansCorrelation();
            double rs = s.correlation(stableOnly.stable, stableOnly.mos);
            double rc = s.correlation(candidateOnly.candidate, candidateOnly.mos);
            CorrelationInterval independent = CorrelationInterval.difference(rc, CorrelationInterval.spearman(rc, N), rs,
                    CorrelationInterval.spearman(rs, N));
            if (independent.high() < 0) {
                independentDetects++;
            }
            if (rep == 0) {
                System.out.printf("one replication, n = %d labelled videos per version: paired SRCC difference %.4f, 95 %% CI"
                                + " [%.4f, %.4f] (stable %.4f, candidate %.4f, agreement %.4f); independent %.4f, 95 %% CI [%.4f, %.4f]%n",
                        N, paired.srccDifference(), paired.srccDifferenceCi().low(), paired.srccDifferenceCi().high(),
                        paired.stableSrcc(), paired.candidateSrcc(), paired.agreementSrcc(), rc - rs, independent.low(),
                        independent.high());
            }
        }
        System.out.printf("SRCC drop %.4f at n = %d: the paired test detects it in %d of %d replications, the independent"
                + " comparison in %d of %d%n", meanDrop, N, pairedDetects, REPLICATIONS, independentDetects, REPLICATIONS);
        assertTrue(meanDrop < -0.03, "the candidate is worse: " + meanDrop);
        assertTrue(pairedDetects >= 0.75 * REPLICATIONS, "paired detects " + pairedDetects);
        assertTrue(independentDetects <= 0.45 * REPLICATIONS, "independent detects " + independentDetects);
        assertTrue(pairedDetects >= 2 * independentDetects, "paired " + pairedDetects + ", independent " + independentDetects);
    }

    /** Same scores: the paired difference is exactly 0 and its interval says no difference. */
    @Test
    void anEqualCandidateAgreesFullyAndShowsNoDifference() {
        Videos v = videos(new SplittableRandom(7));
        PairedAgreement a = PairedAgreement.of(v.stable, v.stable.clone(), v.mos);
        assertEquals(1, a.agreementSrcc(), 1e-12);
        assertEquals(1, a.agreementPlcc(), 1e-12);
        assertEquals(0, a.meanAbsDifference(), 0);
        assertEquals(0, a.maxAbsDifference(), 0);
        assertEquals(0, a.bias(), 0);
        assertEquals(0, a.srccDifference(), 0);
        assertTrue(a.srccDifferenceCi().low() <= 0 && a.srccDifferenceCi().high() >= 0);
    }

    /** Labels only on some pairs: agreement uses every pair, the SRCC difference only the labelled ones. */
    @Test
    void unlabelledPairsCountForAgreementOnly() {
        double[] s = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        double[] c = {0.15, 0.25, 0.35, 0.45, 0.55, 0.5};
        double[] mos = {1, Double.NaN, 3, Double.NaN, Double.NaN, 4};
        PairedAgreement a = PairedAgreement.of(s, c, mos);
        assertEquals(6, a.n());
        assertEquals(3, a.labelled());
        assertTrue(Double.isNaN(a.srccDifference()), "3 labels are too few");
        assertFalse(a.srccDifferenceCi().known());
        assertEquals(0.025, a.bias(), 1e-12);
        assertEquals(0.1, a.maxAbsDifference(), 1e-12);
    }

    /** The correlation of two overlapping correlations: symmetric, and 1 when variables 2 and 3 are the same. */
    @Test
    void overlapCorrelationBehaves() {
        assertEquals(1, CorrelationInterval.overlapCorrelation(0.6, 0.6, 1.0), 1e-9);
        assertEquals(CorrelationInterval.overlapCorrelation(0.5, 0.3, 0.7), CorrelationInterval.overlapCorrelation(0.3, 0.5, 0.7), 1e-12);
        CorrelationInterval near = CorrelationInterval.overlappingDifference(0.5, CorrelationInterval.spearman(0.5, 60), 0.4,
                CorrelationInterval.spearman(0.4, 60), 0.95);
        CorrelationInterval far = CorrelationInterval.overlappingDifference(0.5, CorrelationInterval.spearman(0.5, 60), 0.4,
                CorrelationInterval.spearman(0.4, 60), 0.0);
        assertTrue(near.high() - near.low() < far.high() - far.low(), "two versions that agree give a narrower interval");
    }

    private record Videos(double[] mos, double[] stable, double[] candidate) {
    }

    /** MOS in [1, 5]; stable = MOS plus noise (SRCC about 0.9); candidate = stable plus a little more noise. */
    private static Videos videos(SplittableRandom random) {
        double[] mos = new double[N];
        double[] stable = new double[N];
        double[] candidate = new double[N];
        for (int i = 0; i < N; i++) {
            mos[i] = 1 + 4 * random.nextDouble();
            stable[i] = mos[i] + 0.5 * gaussian(random);
            candidate[i] = stable[i] + 0.5 * gaussian(random);
        }
        return new Videos(mos, stable, candidate);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
