package dev.vqamini.heads;

import dev.vqamini.model.spec.BranchKeys;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.views.View;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Refits a branch's regression head in closed form, without a training framework. A head is
 * Conv1x1(d -> h) -> GELU -> Conv1x1(h -> 1), averaged over positions. Since GELU(z) - GELU(-z) = z exactly,
 * hidden units with input weights (w, -w) and output weights (1, -1) make the head the linear function w.f + b
 * of the features, and the mean over positions commutes with it: ridge regression of the targets on
 * position-averaged backbone features fits w. The head keeps the upstream shape, so the model stays a plain
 * DOVER-Mobile that any loader accepts. Ridge strength is picked by exact leave-one-out error.
 */
public final class HeadRefit {

    private static final double[] RIDGE_GRID = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

    private HeadRefit() {
    }

    /** A fitted linear head: score = weights . features + bias. */
    public record LinearHead(double[] weights, double bias, double ridge, double looRmse) {

        public double predict(double[] features) {
            double s = bias;
            for (int i = 0; i < weights.length; i++) {
                s += weights[i] * features[i];
            }
            return s;
        }
    }

    /** Ridge regression of {@code targets} on {@code features} (rows = videos), ridge chosen by leave-one-out. */
    public static LinearHead fit(double[][] features, double[] targets) {
        int n = features.length;
        int d = features[0].length;
        if (n < 3) {
            throw new IllegalArgumentException("head refit needs at least 3 calibration videos, got " + n);
        }
        double[] mean = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double yMean = java.util.Arrays.stream(targets).average().orElse(0);
        RealMatrix x = new Array2DRowRealMatrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.setEntry(i, j, features[i][j] - mean[j]);
            }
        }
        RealVector y = new ArrayRealVector(targets).mapSubtract(yMean);
        SingularValueDecomposition svd = new SingularValueDecomposition(x);
        double[] s = svd.getSingularValues();
        RealMatrix u = svd.getU();
        RealVector uty = u.transpose().operate(y);
        double scale = java.util.Arrays.stream(s).map(v -> v * v).sum() / Math.max(1, s.length);
        LinearHead best = null;
        for (double alpha : RIDGE_GRID) {
            double lambda = alpha * scale;
            // LOO residual e_i = r_i / (1 - H_ii), H = U diag(s^2 / (s^2 + lambda)) U^T (intercept from centring).
            RealVector fitted = new ArrayRealVector(n);
            double[] hDiag = new double[n];
            for (int k = 0; k < s.length; k++) {
                double shrink = s[k] * s[k] / (s[k] * s[k] + lambda);
                RealVector uk = u.getColumnVector(k);
                fitted = fitted.add(uk.mapMultiply(shrink * uty.getEntry(k)));
                for (int i = 0; i < n; i++) {
                    hDiag[i] += shrink * uk.getEntry(i) * uk.getEntry(i);
                }
            }
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double e = (y.getEntry(i) - fitted.getEntry(i)) / Math.max(1e-9, 1 - hDiag[i] - 1.0 / n);
                sse += e * e;
            }
            double rmse = Math.sqrt(sse / n);
            if (best == null || rmse < best.looRmse()) {
                RealVector coef = new ArrayRealVector(d);
                for (int k = 0; k < s.length; k++) {
                    coef = coef.add(svd.getV().getColumnVector(k).mapMultiply(s[k] / (s[k] * s[k] + lambda) * uty.getEntry(k)));
                }
                double[] w = coef.toArray();
                double b = yMean;
                for (int j = 0; j < d; j++) {
                    b -= w[j] * mean[j];
                }
                best = new LinearHead(w, b, lambda, rmse);
            }
        }
        return best;
    }

    /** The head tensors (upstream shapes, {@code hidden} units) that compute exactly {@code head}. */
    public static Map<String, Tensor> headTensors(View view, LinearHead head, int hidden) {
        if (hidden < 2) {
            throw new IllegalArgumentException("the GELU pair needs a head with at least 2 hidden units, got " + hidden);
        }
        BranchKeys k = BranchKeys.of(view);
        int d = head.weights().length;
        float[] hid = new float[hidden * d];
        for (int j = 0; j < d; j++) {
            hid[j] = (float) head.weights()[j];
            hid[d + j] = (float) -head.weights()[j];
        }
        float[] last = new float[hidden];
        last[0] = 1;
        last[1] = -1;
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(k.headHidden() + ".weight", new Tensor(new long[] {hidden, d, 1, 1, 1}, hid));
        out.put(k.headHidden() + ".bias", new Tensor(new long[] {hidden}, new float[hidden]));
        out.put(k.headLast() + ".weight", new Tensor(new long[] {1, hidden, 1, 1, 1}, last));
        out.put(k.headLast() + ".bias", new Tensor(new long[] {1}, new float[] {(float) head.bias()}));
        return out;
    }
}
