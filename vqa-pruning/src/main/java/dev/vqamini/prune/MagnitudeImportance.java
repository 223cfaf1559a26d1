package dev.vqamini.prune;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import java.util.Arrays;

/**
 * Channel importance from weight magnitude: for each channel, the squared L2 norm of its slice in every coupled
 * tensor, each tensor normalised by its mean over channels so that no single large layer dominates the group.
 */
public final class MagnitudeImportance implements Importance {

    @Override
    public double[] channelScores(PruneGroup g, ChannelSurgery.Pruned model) {
        BranchKeys k = BranchKeys.of(g.view());
        BranchSpec spec = model.spec().branch(g.view());
        StateDict w = model.weights();
        return switch (g.kind()) {
            case HIDDEN -> {
                String p = k.block(g.stage(), g.block());
                double[] s = new double[w.get(p + ".pwconv1.bias").dim(0)];
                add(s, w.get(p + ".pwconv1.weight"), 0);
                add(s, w.get(p + ".pwconv2.weight"), 1);
                yield s;
            }
            case RESIDUAL -> {
                int st = g.stage();
                double[] s = new double[spec.stage(st).width()];
                add(s, w.get((st == 0 ? k.stemConv() : k.downConv(st)) + ".weight"), 0);
                for (BlockSpec b : spec.stage(st).blocks()) {
                    String p = k.block(st, b.index());
                    add(s, w.get(p + ".dwconv.weight"), 0);
                    add(s, w.get(p + ".pwconv1.weight"), 1);
                    add(s, w.get(p + ".pwconv2.weight"), 0);
                }
                add(s, w.get(st + 1 < spec.stages().size() ? k.downConv(st + 1) + ".weight" : k.headHidden() + ".weight"), 1);
                yield s;
            }
            case BLOCK -> throw new IllegalArgumentException("a block has no channels to score: " + g.name());
        };
    }

    /** Adds each channel's normalised squared norm along {@code axis} of {@code t} to {@code scores}. */
    static void add(double[] scores, Tensor t, int axis) {
        double[] norms = new double[scores.length];
        int size = t.dim(axis);
        int inner = 1;
        for (int i = axis + 1; i < t.shape().length; i++) {
            inner *= t.dim(i);
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            norms[(i / inner) % size] += (double) d[i] * d[i];
        }
        double mean = Arrays.stream(norms).average().orElse(1);
        for (int c = 0; c < scores.length; c++) {
            scores[c] += mean > 0 ? norms[c] / mean : 0;
        }
    }
}
