package dev.vqamini.prune;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.spec.StageSpec;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Physically removes channels and blocks: applies a {@link PruneStep} to a spec and its state_dict, slicing
 * every coupled tensor of the group along the right axis. The result is a smaller, plain DOVER-Mobile-format
 * model (same key names), not a masked one.
 */
public final class ChannelSurgery {

    private ChannelSurgery() {
    }

    /** A spec and its weights, pruned together. */
    public record Pruned(ModelSpec spec, StateDict weights) {
    }

    public static Pruned apply(ModelSpec spec, StateDict weights, List<PruneStep> steps) {
        Pruned p = new Pruned(spec, weights);
        for (PruneStep step : steps) {
            p = apply(p, step);
        }
        return p;
    }

    public static Pruned apply(Pruned model, PruneStep step) {
        PruneGroup g = step.group();
        BranchKeys k = BranchKeys.of(g.view());
        BranchSpec branch = model.spec().branch(g.view());
        Map<String, Tensor> w = new LinkedHashMap<>(model.weights().tensors());
        int[] kept = step.kept();
        BranchSpec newBranch;
        switch (g.kind()) {
            case HIDDEN -> {
                String p = k.block(g.stage(), g.block());
                select(w, p + ".pwconv1.weight", 0, kept);
                select(w, p + ".pwconv1.bias", 0, kept);
                select(w, p + ".grn.gamma", 3, kept);
                select(w, p + ".grn.beta", 3, kept);
                select(w, p + ".pwconv2.weight", 1, kept);
                StageSpec stage = branch.stage(g.stage());
                List<BlockSpec> blocks = new ArrayList<>();
                for (BlockSpec b : stage.blocks()) {
                    blocks.add(b.index() == g.block() ? b.withHidden(kept.length) : b);
                }
                newBranch = branch.withStage(g.stage(), stage.withBlocks(blocks));
            }
            case BLOCK -> {
                String prefix = k.block(g.stage(), g.block()) + ".";
                w.keySet().removeIf(key -> key.startsWith(prefix));
                StageSpec stage = branch.stage(g.stage());
                newBranch = branch.withStage(g.stage(), stage.withBlocks(
                        stage.blocks().stream().filter(b -> b.index() != g.block()).toList()));
            }
            case RESIDUAL -> {
                int s = g.stage();
                if (s == 0) {
                    select(w, k.stemConv() + ".weight", 0, kept);
                    select(w, k.stemConv() + ".bias", 0, kept);
                    select(w, k.stemNorm() + ".weight", 0, kept);
                    select(w, k.stemNorm() + ".bias", 0, kept);
                } else {
                    select(w, k.downConv(s) + ".weight", 0, kept);
                    select(w, k.downConv(s) + ".bias", 0, kept);
                }
                for (BlockSpec b : branch.stage(s).blocks()) {
                    String p = k.block(s, b.index());
                    select(w, p + ".dwconv.weight", 0, kept);
                    select(w, p + ".dwconv.bias", 0, kept);
                    select(w, p + ".norm.weight", 0, kept);
                    select(w, p + ".norm.bias", 0, kept);
                    select(w, p + ".pwconv1.weight", 1, kept);
                    select(w, p + ".pwconv2.weight", 0, kept);
                    select(w, p + ".pwconv2.bias", 0, kept);
                }
                if (s + 1 < branch.stages().size()) {
                    select(w, k.downNorm(s + 1) + ".weight", 0, kept);
                    select(w, k.downNorm(s + 1) + ".bias", 0, kept);
                    select(w, k.downConv(s + 1) + ".weight", 1, kept);
                } else {
                    select(w, k.finalNorm() + ".weight", 0, kept);
                    select(w, k.finalNorm() + ".bias", 0, kept);
                    select(w, k.headHidden() + ".weight", 1, kept);
                    if (w.containsKey(k.classifier() + ".weight")) {
                        select(w, k.classifier() + ".weight", 1, kept);
                    }
                }
                newBranch = branch.withStage(s, branch.stage(s).withWidth(kept.length));
            }
            default -> throw new IllegalStateException(g.kind().toString());
        }
        return new Pruned(model.spec().with(g.view(), newBranch), new StateDict(model.weights().source(), w));
    }

    private static void select(Map<String, Tensor> w, String key, int axis, int[] kept) {
        Tensor t = w.get(key);
        if (t == null) {
            throw new IllegalArgumentException("pruning needs weight '" + key + "', which is missing");
        }
        w.put(key, select(t, axis, kept));
    }

    /** The tensor restricted to indices {@code kept} along {@code axis}. */
    static Tensor select(Tensor t, int axis, int[] kept) {
        long[] shape = t.shape().clone();
        int size = (int) shape[axis];
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= (int) shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= (int) shape[i];
        }
        for (int k : kept) {
            if (k < 0 || k >= size) {
                throw new IllegalArgumentException("channel " + k + " out of range 0.." + (size - 1) + " on axis " + axis
                        + " of " + t.shapeText());
            }
        }
        shape[axis] = kept.length;
        float[] out = new float[outer * kept.length * inner];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (int k : kept) {
                System.arraycopy(t.data(), (o * size + k) * inner, out, at, inner);
                at += inner;
            }
        }
        return new Tensor(shape, out);
    }
}
