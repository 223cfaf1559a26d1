package dev.vqamini.prune;

import ai.onnxruntime.OrtException;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Channel importance from activations on calibration clips: a hidden channel's mean absolute GRN output times
 * the norm of its pwconv2 column (its typical contribution to the block's output); a residual channel's mean
 * absolute value at the stage's output. Activations are measured once per model, with probe outputs that the
 * graph reduces in place, so nothing large leaves ONNX Runtime.
 */
public final class ActivationImportance implements Importance {

    private final Map<View, List<ViewClips>> calibration;
    private final RunnerOptions options;
    private final Map<ChannelSurgery.Pruned, Map<View, Map<String, double[]>>> cache = new HashMap<>();

    public ActivationImportance(Map<View, List<ViewClips>> calibration, RunnerOptions options) {
        this.calibration = calibration;
        this.options = options;
    }

    @Override
    public double[] channelScores(PruneGroup g, ChannelSurgery.Pruned model) {
        Map<String, double[]> probes = probes(model, g.view());
        return switch (g.kind()) {
            case HIDDEN -> {
                double[] act = probes.get(BranchGraph.hiddenProbe(g.stage(), g.block())).clone();
                double[] out = new double[act.length];
                MagnitudeImportance.add(out, model.weights().get(BranchKeys.of(g.view()).block(g.stage(), g.block())
                        + ".pwconv2.weight"), 1);
                for (int c = 0; c < act.length; c++) {
                    act[c] *= Math.sqrt(out[c]);
                }
                yield act;
            }
            case RESIDUAL -> probes.get(BranchGraph.residualProbe(g.stage())).clone();
            case BLOCK -> throw new IllegalArgumentException("a block has no channels to score: " + g.name());
        };
    }

    private synchronized Map<String, double[]> probes(ChannelSurgery.Pruned model, View view) {
        return cache.computeIfAbsent(model, m -> new HashMap<>()).computeIfAbsent(view, v -> measure(model, v));
    }

    private Map<String, double[]> measure(ChannelSurgery.Pruned model, View view) {
        byte[] onnx = BranchGraph.buildWithProbes(model.spec().branch(view), model.weights(), BranchKeys.of(view),
                InputFormat.RGB_UINT8).toByteArray();
        Map<String, double[]> sums = new HashMap<>();
        int clips = 0;
        try (BranchRunner runner = new BranchRunner(onnx, BranchGraph.inputName(InputFormat.RGB_UINT8), options)) {
            for (ViewClips c : calibration.get(view)) {
                BranchOutput out = runner.runPixels(c.pixels(), new long[] {c.clips(), 3, c.frames(), c.height(), c.width()});
                for (Map.Entry<String, float[]> e : out.extras().entrySet()) {
                    int width = e.getValue().length / c.clips();
                    double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[width]);
                    for (int i = 0; i < e.getValue().length; i++) {
                        sum[i % width] += e.getValue()[i];
                    }
                }
                clips += c.clips();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("activation probe of the " + view.key() + " branch failed: " + e.getMessage(), e);
        }
        for (double[] s : sums.values()) {
            for (int i = 0; i < s.length; i++) {
                s[i] /= clips;
            }
        }
        return sums;
    }
}
