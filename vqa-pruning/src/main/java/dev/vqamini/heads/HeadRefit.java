package dev.vqamini.heads;

import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.clips.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import java.util.Arrays;

/**
 * Refits a branch's regression head in closed form, without a training framework. A head is
 * Conv1x1(d -> h) -> GELU -> Conv1x1(h -> 1), averaged over positions. Since GELU(z) - GELU(-z) = z exactly,
 * hidden units with input weights (w, -w) and output weights (1, -1) make the head the linear function w.f + b
 * of the features, and the mean over positions commutes with it: ridge regression of the targets on
 * position-averaged backbone features fits w. The head keeps the upstream shape, so the model stays a plain
 * DOVER-Mobile that any loader accepts.
 *
 * <p>Two fits: on one target per video (labels), ridge strength picked by exact leave-one-out error; and on one
 * target per spatial position (distillation from a teacher's head map), which has hundreds of samples per video
 * instead of one, ridge strength picked by 5-fold cross-validation over videos on the video scores.
 */
public final class HeadRefit {

    private static final int CV_FOLDS = 5;
    private static final double[] RIDGE_GRID = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

    private HeadRefit() {
    }

    /** A fitted linear head: score = weights . features + bias. */
    public record LinearHead(double[] weights, double bias, double ridge, double cvRmse) {

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
        double yMean = Arrays.stream(targets).average().orElse(0);
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
        double scale = Arrays.stream(s).map(v -> v * v).sum() / Math.max(1, s.length);
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
            if (best == null || rmse < best.cvRmse()) {
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

    /**
     * Ridge regression of per-position targets on per-position features: for video v, {@code features.get(v)} is
     * P_v x d row-major and {@code targets.get(v)} its P_v targets. Video scores are the means over positions, and a
     * linear head commutes with the mean, so the fitted head predicts video scores too.
     */
    public static LinearHead fitPositions(List<float[]> features, List<double[]> targets) {
        int videos = features.size();
        if (videos < 3) {
            throw new IllegalArgumentException("head refit needs at least 3 calibration videos, got " + videos);
        }
        int d = features.get(0).length / targets.get(0).length;
        double[] mean = new double[d];
        double yMean = 0;
        long count = 0;
        for (int v = 0; v < videos; v++) {
            float[] x = features.get(v);
            double[] y = targets.get(v);
            if (x.length != (long) y.length * d) {
                throw new IllegalArgumentException("video " + v + ": " + x.length + " feature values for " + y.length
                        + " positions of " + d + " features");
            }
            for (int i = 0; i < x.length; i++) {
                mean[i % d] += x[i];
            }
            for (double t : y) {
                yMean += t;
            }
            count += y.length;
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= count;
        }
        yMean /= count;
        // Centred normal equations per fold; a fold's training system is the total minus the fold.
        int folds = Math.min(CV_FOLDS, videos);
        double[][][] gram = new double[folds][d][d];
        double[][] xty = new double[folds][d];
        double[][] videoMeans = new double[videos][];
        double[] videoTargets = new double[videos];
        double[] row = new double[d];
        for (int v = 0; v < videos; v++) {
            double[][] g = gram[v % folds];
            double[] c = xty[v % folds];
            float[] x = features.get(v);
            double[] y = targets.get(v);
            videoMeans[v] = new double[d];
            for (int p = 0; p < y.length; p++) {
                for (int j = 0; j < d; j++) {
                    row[j] = x[p * d + j] - mean[j];
                    videoMeans[v][j] += row[j] / y.length;
                }
                double yc = y[p] - yMean;
                videoTargets[v] += yc / y.length;
                for (int i = 0; i < d; i++) {
                    double ri = row[i];
                    c[i] += ri * yc;
                    double[] gi = g[i];
                    for (int j = i; j < d; j++) {
                        gi[j] += ri * row[j];
                    }
                }
            }
        }
        RealMatrix total = new Array2DRowRealMatrix(d, d);
        RealVector totalXty = new ArrayRealVector(d);
        for (int f = 0; f < folds; f++) {
            add(total, totalXty, gram[f], xty[f], 1);
        }
        double scale = total.getTrace() / d;
        double[] sse = new double[RIDGE_GRID.length];
        for (int f = 0; f < folds; f++) {
            RealMatrix trainGram = total.copy();
            RealVector trainXty = totalXty.copy();
            add(trainGram, trainXty, gram[f], xty[f], -1);
            RidgePath path = new RidgePath(trainGram, trainXty);
            for (int a = 0; a < RIDGE_GRID.length; a++) {
                RealVector w = path.solve(RIDGE_GRID[a] * scale);
                for (int v = f; v < videos; v += folds) {
                    double e = w.dotProduct(new ArrayRealVector(videoMeans[v], false)) - videoTargets[v];
                    sse[a] += e * e;
                }
            }
        }
        int best = 0;
        for (int a = 1; a < RIDGE_GRID.length; a++) {
            best = sse[a] < sse[best] ? a : best;
        }
        double lambda = RIDGE_GRID[best] * scale;
        double[] w = new RidgePath(total, totalXty).solve(lambda).toArray();
        double b = yMean;
        for (int j = 0; j < d; j++) {
            b -= w[j] * mean[j];
        }
        return new LinearHead(w, b, lambda, Math.sqrt(sse[best] / videos));
    }

    /** Adds sign x (upper-triangular {@code gram}, {@code xty}) to the symmetric system. */
    private static void add(RealMatrix total, RealVector totalXty, double[][] gram, double[] xty, int sign) {
        int d = xty.length;
        for (int i = 0; i < d; i++) {
            totalXty.addToEntry(i, sign * xty[i]);
            for (int j = i; j < d; j++) {
                total.addToEntry(i, j, sign * gram[i][j]);
                if (j != i) {
                    total.addToEntry(j, i, sign * gram[i][j]);
                }
            }
        }
    }

    /** Ridge solutions (G + lambda I)^-1 c for many lambdas from one eigendecomposition of G. */
    private static final class RidgePath {
        private final double[] eigenvalues;
        private final RealMatrix vectors;
        private final RealVector projected;

        RidgePath(RealMatrix gram, RealVector xty) {
            EigenDecomposition eig = new EigenDecomposition(gram);
            eigenvalues = eig.getRealEigenvalues();
            vectors = eig.getV();
            projected = vectors.transpose().operate(xty);
        }

        RealVector solve(double lambda) {
            RealVector scaled = new ArrayRealVector(eigenvalues.length);
            for (int k = 0; k < eigenvalues.length; k++) {
                scaled.setEntry(k, projected.getEntry(k) / (Math.max(eigenvalues[k], 0) + lambda));
            }
            return vectors.operate(scaled);
        }
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
