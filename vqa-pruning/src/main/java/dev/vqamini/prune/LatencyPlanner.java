package dev.vqamini.prune;

import dev.vqamini.clips.View;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Plans a pruning that meets a latency target: per branch, the prunable layers (each stage's residual width, each
 * block's hidden width, each whole block) get levels whose damage a sensitivity scan measures once
 * ({@link #scan}); {@link LatencyAllocator} then keeps what buys the most accuracy per millisecond of the latency
 * table, for any fraction of the unpruned branch's predicted time ({@link #plan}), so a correction after timing the
 * result costs no second scan.
 */
public final class LatencyPlanner {

    /** Residual keep fractions a stage's width may take (rounded to the channel multiple). */
    static final double[] RESIDUAL_LEVELS = {0.75, 0.5, 0.375, 0.25};

    private final PruneConfig config;
    private final Importance importance;
    private final SensitivityScan scan;
    private final LatencyTable table;
    private final Consumer<String> progress;

    public LatencyPlanner(PruneConfig config, Importance importance, SensitivityScan scan, LatencyTable table,
                          Consumer<String> progress) {
        this.config = config;
        this.importance = importance;
        this.scan = scan;
        this.table = table;
        this.progress = progress;
    }

    /** One branch's layers: the allocator's levels and, level by level, the pruning step that makes each (null: none). */
    record BranchLayers(BranchSpec base, List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> steps) {
    }

    /** Both branches' scanned layers. */
    public record Scanned(Map<View, BranchLayers> branches) {
    }

    /** The steps to apply and, per branch, the table's predicted fraction of the unpruned branch's time. */
    public record Plan(List<PruneStep> steps, Map<View, Double> predictedRatio, Map<View, String> architecture) {
    }

    public Scanned scan(ChannelSurgery.Pruned full) {
        Map<View, BranchLayers> out = new EnumMap<>(View.class);
        int total = 0;
        for (View v : View.values()) {
            total += full.spec().branch(v).stages().size() + full.spec().branch(v).blockCount();
        }
        int done = 0;
        for (View v : View.values()) {
            List<float[]> baseFeatures = scan.features(full, v);
            BranchSpec branch = full.spec().branch(v);
            List<List<LatencyAllocator.Level>> levels = new ArrayList<>();
            List<List<PruneStep>> steps = new ArrayList<>();
            for (int s = 0; s < branch.stages().size(); s++) {
                progress.accept(String.format("sensitivity scan %d/%d: %s.stages.%d.residual", ++done, total, v.key(), s));
                residualLevels(full, v, s, baseFeatures, levels, steps);
            }
            for (int s = 0; s < branch.stages().size(); s++) {
                for (BlockSpec b : branch.stage(s).blocks()) {
                    progress.accept(String.format("sensitivity scan %d/%d: %s.stages.%d.%d", ++done, total, v.key(), s, b.index()));
                    blockLevels(full, v, s, b, baseFeatures, levels, steps);
                }
            }
            out.put(v, new BranchLayers(branch, levels, steps));
        }
        return new Scanned(out);
    }

    private void residualLevels(ChannelSurgery.Pruned full, View v, int s, List<float[]> baseFeatures,
                                List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> steps) {
        int width = full.spec().branch(v).stage(s).width();
        PruneGroup group = PruneGroup.residual(v, s);
        double[] scores = importance.channelScores(group, full);
        List<LatencyAllocator.Level> ls = new ArrayList<>();
        List<PruneStep> ss = new ArrayList<>();
        ls.add(new LatencyAllocator.Level("keep", spec -> spec, 0));
        ss.add(null);
        int last = width;
        for (double f : RESIDUAL_LEVELS) {
            int kept = config.keepCount(width, f);
            if (kept >= last) {
                continue;
            }
            last = kept;
            PruneStep step = new PruneStep(group, Importance.topChannels(scores, kept));
            double damage = scan.sensitivity(full, baseFeatures, v, List.of(step));
            ls.add(new LatencyAllocator.Level("residual " + kept, spec -> spec.withStage(s, spec.stage(s).withWidth(kept)), damage));
            ss.add(step);
        }
        levels.add(ls);
        steps.add(ss);
    }

    private void blockLevels(ChannelSurgery.Pruned full, View v, int s, BlockSpec b, List<float[]> baseFeatures,
                             List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> steps) {
        PruneGroup hidden = PruneGroup.hidden(v, s, b.index());
        double[] scores = importance.channelScores(hidden, full);
        List<LatencyAllocator.Level> ls = new ArrayList<>();
        List<PruneStep> ss = new ArrayList<>();
        ls.add(new LatencyAllocator.Level("keep", spec -> spec, 0));
        ss.add(null);
        int last = b.hidden();
        for (int i = 1; i < StructuralPlanner.HIDDEN_LEVELS.length; i++) {
            int keep = config.keepCount(b.hidden(), StructuralPlanner.HIDDEN_LEVELS[i]);
            if (keep >= last) {
                continue;
            }
            last = keep;
            PruneStep step = new PruneStep(hidden, Importance.topChannels(scores, keep));
            double damage = scan.sensitivity(full, baseFeatures, v, List.of(step));
            ls.add(new LatencyAllocator.Level("hidden " + keep, spec -> withBlock(spec, s, b.index(), keep), damage));
            ss.add(step);
        }
        PruneStep drop = new PruneStep(PruneGroup.block(v, s, b.index()), new int[0]);
        ls.add(new LatencyAllocator.Level("drop", spec -> withBlock(spec, s, b.index(), 0),
                scan.sensitivity(full, baseFeatures, v, List.of(drop))));
        ss.add(drop);
        levels.add(ls);
        steps.add(ss);
    }

    /** The branch with block {@code index} of stage {@code s} at hidden width {@code hidden} (0: removed). */
    static BranchSpec withBlock(BranchSpec spec, int s, int index, int hidden) {
        StageSpec stage = spec.stage(s);
        List<BlockSpec> blocks = new ArrayList<>();
        for (BlockSpec b : stage.blocks()) {
            if (b.index() != index) {
                blocks.add(b);
            } else if (hidden > 0) {
                blocks.add(b.withHidden(hidden));
            }
        }
        return spec.withStage(s, stage.withBlocks(blocks));
    }

    /**
     * The plan that brings each branch's predicted time to {@code fraction} of its unpruned prediction: residual steps
     * first (hidden and block steps keep their indices through them).
     */
    public Plan plan(Scanned scanned, double fraction) {
        List<PruneStep> residual = new ArrayList<>();
        List<PruneStep> rest = new ArrayList<>();
        Map<View, Double> ratios = new EnumMap<>(View.class);
        Map<View, String> architectures = new EnumMap<>(View.class);
        for (Map.Entry<View, BranchLayers> e : scanned.branches().entrySet()) {
            BranchLayers b = e.getValue();
            double parentMs = table.predictMs(b.base());
            LatencyAllocator.Allocation a = LatencyAllocator.allocate(b.base(), b.levels(), table, fraction * parentMs);
            for (int l = 0; l < a.chosen().length; l++) {
                PruneStep step = b.steps().get(l).get(a.chosen()[l]);
                if (step != null) {
                    (step.group().kind() == PruneGroup.Kind.RESIDUAL ? residual : rest).add(step);
                }
            }
            if (!a.met()) {
                progress.accept(String.format("%s: %.3f of the predicted time cannot be reached by these levels; the most pruned"
                        + " plan predicts %.3f", e.getKey().key(), fraction, a.predictedMs() / parentMs));
            }
            ratios.put(e.getKey(), a.predictedMs() / parentMs);
            architectures.put(e.getKey(), a.spec().describe());
            progress.accept(String.format("%s: predicted %.1f of %.1f ms (%.3f, budget %.3f): %s", e.getKey().key(),
                    a.predictedMs(), parentMs, a.predictedMs() / parentMs, fraction, a.spec().describe()));
        }
        List<PruneStep> steps = new ArrayList<>(residual);
        steps.addAll(rest);
        return new Plan(steps, ratios, architectures);
    }
}
