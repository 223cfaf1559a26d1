package dev.vqamini.prune;

import ai.onnxruntime.OrtException;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measured output sensitivity: how much a branch's pooled output features move, relative to their norm,
 * when one pruning change is applied alone, on calibration clips. Heads are refitted afterwards, so the
 * backbone's features, not the current head's score, are what must be preserved.
 */
public final class SensitivityScan {

    private final Map<View, List<ViewClips>> calibration;
    private final RunnerOptions options;

    public SensitivityScan(Map<View, List<ViewClips>> calibration, RunnerOptions options) {
        this.calibration = calibration;
        this.options = options;
    }

    /** Pooled features per calibration clip of {@code model}'s branch of {@code view}. */
    public List<float[]> features(ChannelSurgery.Pruned model, View view) {
        byte[] onnx = BranchGraph.build(model.spec().branch(view), model.weights(), BranchKeys.of(view),
                InputFormat.RGB_UINT8, Map.of()).toByteArray();
        List<float[]> out = new ArrayList<>();
        try (BranchRunner runner = new BranchRunner(onnx, BranchGraph.inputName(InputFormat.RGB_UINT8), options)) {
            for (ViewClips c : calibration.get(view)) {
                out.add(runner.runPixels(c.pixels(), new long[] {c.clips(), 3, c.frames(), c.height(), c.width()}).features());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("sensitivity scan of the " + view.key() + " branch failed: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Mean relative L2 change of the features when {@code steps} are applied to {@code base}. When a step narrows the
     * last stage, the features narrow too: kept features are compared with their originals, removed ones count as lost.
     */
    public double sensitivity(ChannelSurgery.Pruned base, List<float[]> baseFeatures, View view, List<PruneStep> steps) {
        List<float[]> changed = features(ChannelSurgery.apply(base.spec(), base.weights(), steps), view);
        int last = base.spec().branch(view).stages().size() - 1;
        int[] kept = steps.stream().filter(s -> s.group().kind() == PruneGroup.Kind.RESIDUAL && s.group().stage() == last
                && s.group().view() == view).map(PruneStep::kept).findFirst().orElse(null);
        double total = 0;
        for (int i = 0; i < changed.size(); i++) {
            double diff = 0;
            double norm = 0;
            float[] a = baseFeatures.get(i);
            float[] b = changed.get(i);
            float[] aligned = b;
            if (kept != null) {
                aligned = new float[a.length]; // removed features: 0, so their whole value counts as changed
                for (int j = 0; j < kept.length; j++) {
                    aligned[kept[j]] = b[j];
                }
            }
            for (int j = 0; j < a.length; j++) {
                diff += (a[j] - aligned[j]) * (a[j] - aligned[j]);
                norm += a[j] * a[j];
            }
            total += Math.sqrt(diff / Math.max(norm, 1e-12));
        }
        return total / changed.size();
    }
}
