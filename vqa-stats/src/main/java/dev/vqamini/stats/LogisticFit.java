package dev.vqamini.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.analysis.ParametricUnivariateFunction;
import org.apache.commons.math3.fitting.SimpleCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoint;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Max;
import org.apache.commons.math3.stat.descriptive.rank.Min;
import org.apache.commons.math3.stat.StatUtils;
import java.util.Arrays;

/**
 * The 4-parameter logistic that VQA papers fit from predictions to MOS before PLCC and RMSE (VQEG practice):
 * {@code f(x) = (b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2}, fitted by Levenberg-Marquardt
 * (commons-math {@link SimpleCurveFitter}).
 *
 * @param b1 upper asymptote (lower one when the relation is decreasing)
 * @param b2 the other asymptote
 * @param b3 midpoint
 * @param b4 scale (its sign is ignored)
 */
public record LogisticFit(double b1, double b2, double b3, double b4) {

    /** The fitted curve at {@code x}. */
    public double apply(double x) {
        return FUNCTION.value(x, b1, b2, b3, b4);
    }

    /** The curve applied to every value. */
    public double[] apply(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = apply(xs[i]);
        }
        return out;
    }

    /**
     * Fits {@code mos ~ f(predicted)}. Initial guess: asymptotes at max/min MOS (swapped for a decreasing relation),
     * midpoint at the mean prediction, scale the predictions' standard deviation.
     *
     * @throws org.apache.commons.math3.exception.MathIllegalStateException when the optimiser does not converge
     */
    public static LogisticFit fit(double[] predicted, double[] mos) {
        if (predicted.length != mos.length || predicted.length < 4) {
            throw new IllegalArgumentException("logistic fit needs >= 4 paired values, got " + predicted.length + " and " + mos.length);
        }
        double hi = new Max().evaluate(mos);
        double lo = new Min().evaluate(mos);
        double r = new PearsonsCorrelation().correlation(predicted, mos);
        double sd = new StandardDeviation().evaluate(predicted);
        double[] guess = {r >= 0 ? hi : lo, r >= 0 ? lo : hi, StatUtils.mean(predicted), sd > 0 ? sd : 1};
        List<WeightedObservedPoint> points = new ArrayList<>(predicted.length);
        for (int i = 0; i < predicted.length; i++) {
            points.add(new WeightedObservedPoint(1, predicted[i], mos[i]));
        }
        double[] b = SimpleCurveFitter.create(FUNCTION, guess).withMaxIterations(10_000).fit(points);
        for (double v : b) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("logistic fit diverged: " + Arrays.toString(b));
            }
        }
        return new LogisticFit(b[0], b[1], b[2], b[3]);
    }

    /** f and its gradient, written with the stable sigmoid s = 1/(1+e) so large |x - b3| cannot overflow. */
    static final ParametricUnivariateFunction FUNCTION = new ParametricUnivariateFunction() {
        @Override
        public double value(double x, double... b) {
            return (b[0] - b[1]) * sigmoid((x - b[2]) / scale(b[3])) + b[1];
        }

        @Override
        public double[] gradient(double x, double... b) {
            double s4 = scale(b[3]);
            double z = (x - b[2]) / s4;
            double s = sigmoid(z);
            double ds = s * (1 - s);
            double amp = b[0] - b[1];
            double sign = b[3] >= 0 ? 1 : -1;
            return new double[] {s, 1 - s, -amp * ds / s4, -amp * ds * z * sign / s4};
        }
    };

    private static double scale(double b4) {
        double a = Math.abs(b4);
        return a < 1e-12 ? 1e-12 : a; // a zero scale is a step function; keep it finite for the optimiser
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
