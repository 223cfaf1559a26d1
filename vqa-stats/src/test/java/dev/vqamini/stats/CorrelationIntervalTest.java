package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationIntervalTest {

    @Test
    void fisherIntervalsMatchTheTextbookValues() {
        // r = 0.5, n = 28: z = atanh(0.5) = 0.5493, se = 1/sqrt(25) = 0.2, z -+ 1.96 se -> r in [0.1560, 0.7358]
        CorrelationInterval p = CorrelationInterval.pearson(0.5, 28);
        assertEquals(0.15603, p.low(), 1e-4);
        assertEquals(0.73582, p.high(), 1e-4);
        CorrelationInterval s = CorrelationInterval.spearman(0.5, 28);
        assertTrue(s.low() < p.low() && s.high() > p.high(), "Spearman's z variance is 1.06 times Pearson's");
        assertFalse(CorrelationInterval.spearman(0.5, 3).known());
    }

    @Test
    void zouDifferenceIntervalContainsZeroOnlyWhenTheCorrelationsOverlap() {
        CorrelationInterval a = CorrelationInterval.spearman(0.9, 400);
        CorrelationInterval b = CorrelationInterval.spearman(0.7, 400);
        CorrelationInterval d = CorrelationInterval.difference(0.9, a, 0.7, b);
        assertTrue(d.low() > 0, "clearly better: " + d);
        CorrelationInterval small = CorrelationInterval.difference(0.8, CorrelationInterval.spearman(0.8, 20), 0.75,
                CorrelationInterval.spearman(0.75, 20));
        assertTrue(small.low() < 0 && small.high() > 0, "no difference yet: " + small);
    }
}
