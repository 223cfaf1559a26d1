package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialTestTest {

    private final SequentialTest test = new SequentialTest(0.0, -0.5, 0.05, 0.1);

    @Test
    void theBoundariesAreWhereTheLikelihoodRatioReachesVillesThresholds() {
        SequentialTest.Look look = test.look(0.1, 40);
        assertEquals(1 / 0.05, test.look(look.failAt(), 40).evidence(), 1e-9);
        assertEquals(0.1, test.look(look.passAt(), 40).evidence(), 1e-9);
        assertEquals(SequentialTest.Outcome.FAIL, test.look(look.failAt() - 1e-9, 40).outcome());
        assertEquals(SequentialTest.Outcome.PASS, test.look(look.passAt() + 1e-9, 40).outcome());
        assertEquals(SequentialTest.Outcome.CONTINUE, test.look((look.failAt() + look.passAt()) / 2, 40).outcome());
        assertEquals(SequentialTest.Outcome.CONTINUE, test.look(-3, 0).outcome(), "no information, no decision");
    }

    @Test
    void theFixedSampleInformationIsTheTextbookFormula() {
        // (z(0.95) + z(0.9))^2 / 0.5^2 = (1.6449 + 1.2816)^2 / 0.25
        assertEquals(Math.pow(1.6448536 + 1.2815516, 2) / 0.25, test.fixedSampleInformation(), 1e-5);
    }

    @Test
    void errorRatesHoldOverEveryLookOfAGaussianRandomWalk() {
        // estimate after n unit-variance observations: their mean, information n; looked at after every one
        SplittableRandom random = new SplittableRandom(3);
        int paths = 4000;
        int falseFails = 0;
        int falsePasses = 0;
        for (int p = 0; p < paths; p++) {
            falseFails += firstOutcome(random, test.good(), 2000) == SequentialTest.Outcome.FAIL ? 1 : 0;
            falsePasses += firstOutcome(random, test.bad(), 2000) == SequentialTest.Outcome.PASS ? 1 : 0;
        }
        double se = 3 * Math.sqrt(0.05 * 0.95 / paths);
        assertTrue(falseFails / (double) paths <= 0.05 + se, "false fails " + falseFails);
        assertTrue(falsePasses / (double) paths <= 0.1 + se, "false passes " + falsePasses);
        // and not trivially: at the boundaries themselves the rates come close to the promises
        assertTrue(falseFails / (double) paths > 0.02, "false fails " + falseFails);
    }

    @Test
    void confidenceSequencesCoverTheParameterAtEveryLookAtOnce() {
        SplittableRandom random = new SplittableRandom(4);
        int paths = 2000;
        int missed = 0;
        double theta = -0.2;
        for (int p = 0; p < paths; p++) {
            double sum = 0;
            for (int n = 1; n <= 1000; n++) {
                sum += theta + random.nextGaussian();
                double[] cs = test.confidenceSequence(sum / n, n, 30);
                if (theta < cs[0] || theta > cs[1]) {
                    missed++;
                    break;
                }
            }
        }
        assertTrue(missed / (double) paths <= 0.15 + 3 * Math.sqrt(0.15 * 0.85 / paths), "missed on " + missed + " paths");
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SequentialTest(0, 0, 0.05, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new SequentialTest(0, 1, 0, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new SequentialTest(0, 1, 0.05, 1));
    }

    private SequentialTest.Outcome firstOutcome(SplittableRandom random, double theta, int maxN) {
        double sum = 0;
        for (int n = 1; n <= maxN; n++) {
            sum += theta + random.nextGaussian();
            SequentialTest.Outcome o = test.look(sum / n, n).outcome();
            if (o != SequentialTest.Outcome.CONTINUE) {
                return o;
            }
        }
        return SequentialTest.Outcome.CONTINUE;
    }
}
