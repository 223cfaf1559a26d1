package dev.vqamini.prune;

import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude sparsity: zeroes the smallest weights of every backbone conv and linear layer, per layer or with one
 * global threshold, until the non-zero inference parameters meet the target. The tensors keep their shapes, so
 * files compress but dense inference costs the same: reported as such, never as a speed-up.
 */
public final class UnstructuredPruner {

    private UnstructuredPruner() {
    }

    /** Whether {@code key} is a weight matrix this recipe sparsifies (not norms, biases, GRN, heads or classifier). */
    static boolean prunable(String key) {
        return key.contains("backbone.") && key.endsWith(".weight") && !key.contains("norm") && !key.contains("backbone.head")
                && !key.matches(".*downsample_layers\\.0\\.1\\.weight") && !key.matches(".*downsample_layers\\.[123]\\.0\\.weight");
    }

    /**
     * @param inferenceParams the model's parameters used at inference (classifier excluded)
     * @param keepFraction    fraction of them to leave non-zero
     */
    public static StateDict sparsify(StateDict weights, long inferenceParams, double keepFraction, boolean global) {
        long prunable = weights.tensors().entrySet().stream().filter(e -> prunable(e.getKey()))
                .mapToLong(e -> e.getValue().numel()).sum();
        long fixed = inferenceParams - prunable;
        double prunableKeep = (keepFraction * inferenceParams - fixed) / prunable;
        if (prunableKeep <= 0) {
            throw new IllegalArgumentException("unstructured: keeping " + keepFraction + " of " + inferenceParams
                    + " parameters leaves nothing for the " + prunable + " prunable weights (" + fixed + " are not prunable)");
        }
        double sparsity = 1 - Math.min(1, prunableKeep);
        Map<String, Tensor> out = new LinkedHashMap<>(weights.tensors());
        if (global) {
            List<float[]> all = new ArrayList<>();
            weights.tensors().forEach((k, t) -> {
                if (prunable(k)) {
                    all.add(t.data());
                }
            });
            double threshold = quantileAbs(all, sparsity);
            out.replaceAll((k, t) -> prunable(k) ? zeroBelow(t, threshold) : t);
        } else {
            out.replaceAll((k, t) -> prunable(k) ? zeroBelow(t, quantileAbs(List.of(t.data()), sparsity)) : t);
        }
        return new StateDict(weights.source(), out);
    }

    private static double quantileAbs(List<float[]> arrays, double q) {
        int n = arrays.stream().mapToInt(a -> a.length).sum();
        float[] abs = new float[n];
        int at = 0;
        for (float[] a : arrays) {
            for (float v : a) {
                abs[at++] = Math.abs(v);
            }
        }
        Arrays.sort(abs);
        int index = (int) Math.ceil(q * n) - 1;
        return index < 0 ? -1 : abs[Math.min(index, n - 1)];
    }

    private static Tensor zeroBelow(Tensor t, double threshold) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i]) <= threshold) {
                d[i] = 0;
            }
        }
        return new Tensor(t.shape(), d);
    }

    /** Non-zero values among the inference parameters (classifier excluded). */
    public static long nonZero(StateDict weights) {
        long n = 0;
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            if (!e.getKey().contains("backbone.head.")) {
                for (float v : e.getValue().data()) {
                    if (v != 0) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
