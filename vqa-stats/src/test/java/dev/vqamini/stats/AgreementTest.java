package dev.vqamini.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

class AgreementTest {

    @Test
    void handComputedExampleWithATie() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {5, 6, 7, 8, 7};
        Agreement a = Agreement.of(x, y);
        // ranks of y: 1, 2, 3.5, 5, 3.5 -> rho = 8 / sqrt(10 * 9.5)
        assertEquals(8 / Math.sqrt(95), a.srcc(), 1e-12);
        // cov = 6, var x = 10, var y = 5.2 -> r = 6 / sqrt(52)
        assertEquals(6 / Math.sqrt(52), a.plccRaw(), 1e-12);
        // 8 concordant, 1 discordant, 1 tie in y: tau-b = 7 / sqrt(10 * 9)
        assertEquals(7 / Math.sqrt(90), a.krcc(), 1e-12);
        assertEquals(5, a.n());
    }

    @Test
    void rankMeasuresIgnoreMonotonicTransformsAndSignFlips() {
        double[] x = {0.1, 0.5, 0.2, 0.9, 0.7, 0.3};
        double[] y = new double[x.length];
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(5 * x[i]);
            z[i] = -x[i];
        }
        Agreement a = Agreement.of(x, y);
        assertEquals(1, a.srcc(), 1e-12);
        assertEquals(1, a.krcc(), 1e-12);
        assertTrue(a.plccRaw() < 0.99, "raw PLCC sees the curvature: " + a.plccRaw());
        assertEquals(-1, Agreement.of(x, z).srcc(), 1e-12);
        assertEquals(-1, Agreement.of(x, z).krcc(), 1e-12);
    }

    @Test
    void logisticFitRecoversAKnownCurve() {
        LogisticFit truth = new LogisticFit(4.6, 1.2, 0.5, 0.08);
        double[] x = new double[25];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 24.0;
        }
        double[] y = truth.apply(x);
        LogisticFit fit = LogisticFit.fit(x, y);
        assertEquals(4.6, fit.b1(), 1e-4);
        assertEquals(1.2, fit.b2(), 1e-4);
        assertEquals(0.5, fit.b3(), 1e-4);
        assertEquals(0.08, Math.abs(fit.b4()), 1e-4);
        Agreement a = Agreement.of(x, y);
        assertEquals(1, a.plcc(), 1e-9);
        assertEquals(0, a.rmse(), 1e-5);
        assertTrue(a.plccRaw() < a.plcc(), "raw " + a.plccRaw() + " vs fitted " + a.plcc());
    }

    @Test
    void logisticFitHandlesDecreasingRelationsAndNoise() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 60;
        double[] pred = new double[n];
        double[] mos = new double[n];
        for (int i = 0; i < n; i++) {
            pred[i] = r.nextDouble(-3, 3);
            mos[i] = 1 + 4 / (1 + Math.exp(2 * pred[i])) + r.nextGaussian() * 0.15; // decreasing in pred
        }
        Agreement a = Agreement.of(pred, mos);
        assertNotNull(a.fit());
        assertTrue(a.srcc() < -0.9, "srcc " + a.srcc());
        // PLCC after the fit is positive by construction: the fitted curve orients the predictions
        assertTrue(a.plcc() > 0.95, "plcc " + a.plcc());
        assertEquals(0.15, a.rmse(), 0.05);
        // the fit cannot do worse than the best straight line
        double linearRmse = Math.sqrt(1 - a.plccRaw() * a.plccRaw()) * new StandardDeviation(false).evaluate(mos);
        assertTrue(a.rmse() <= linearRmse + 1e-9, a.rmse() + " vs linear " + linearRmse);
    }

    @Test
    void refusesMismatchedOrTooFewValues() {
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3}));
    }
}
