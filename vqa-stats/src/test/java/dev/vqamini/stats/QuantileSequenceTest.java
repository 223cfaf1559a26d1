package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileSequenceTest {

    @Test
    void theMedianIsCoveredAtEveryLookOfEveryPathButAlpha() {
        // exponential latencies: median ln 2
        SplittableRandom random = new SplittableRandom(5);
        double alpha = 0.1;
        int paths = 1000;
        int missed = 0;
        for (int p = 0; p < paths; p++) {
            double[] xs = new double[400];
            for (int n = 1; n <= xs.length; n++) {
                xs[n - 1] = -Math.log(1 - random.nextDouble());
                double[] ci = QuantileSequence.interval(Arrays.copyOf(xs, n), 0.5, alpha);
                if (Math.log(2) < ci[1] || Math.log(2) > ci[2]) {
                    missed++;
                    break;
                }
            }
        }
        // the bound is conservative: far fewer misses than alpha; the check is that it is a bound at all
        assertTrue(missed <= alpha * paths, "missed on " + missed + " of " + paths + " paths");
    }

    @Test
    void theBandNarrowsLikeTheIteratedLogarithmAndHasInfiniteEndsWhereItLeavesTheUnitInterval() {
        assertTrue(QuantileSequence.epsilon(100, 0.05) > QuantileSequence.epsilon(1000, 0.05));
        assertEquals(0.85 * Math.sqrt((Math.log(Math.log(Math.E * 100)) + 0.8 * Math.log(1612 / 0.05)) / 100),
                QuantileSequence.epsilon(100, 0.05), 1e-12);
        double[] ci = QuantileSequence.interval(new double[] {1, 2, 3, 4, 5}, 0.99, 0.05);
        assertEquals(5, ci[0]);
        assertEquals(Double.POSITIVE_INFINITY, ci[2]);
    }
}
