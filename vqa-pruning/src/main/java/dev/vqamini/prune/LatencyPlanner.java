package dev.vqamini.prune;

import dev.vqamini.clips.View;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plans a pruning that meets a latency target: per branch, the prunable layers (each stage's residual width, each
 * block's hidden width, each whole block) get levels whose damage a sensitivity scan measures once
 * ({@link #scan}); {@link LatencyAllocator} then keeps what buys the most accuracy per millisecond of the latency
 * table, for any fraction of the unpruned branch's predicted time ({@link #plan}), so a correction after timing the
 * result costs no second scan.
 *
 * <p>Damage measured one change at a time compounds: a greedy pass over single changes alone narrowed stage 2's
 * residual stream to a quarter and lost to layer-specific+channel's hand-set shape (early stages narrow, late stages
 * whole) at equal latency. So each plan weighs several candidates ({@link #candidates}): the free greedy pass, and the
 * recipe's residual shape at several strengths with the greedy pass spending the rest of the budget on hidden widths
 * and blocks; each candidate's damage is then measured with all its changes applied together, and the least damaged
 * candidate that fits the budget wins (NetAdapt's "measure the candidates", on the scan's clips).
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

    /**
     * Recipe strengths whose residual shape ({@link StructuralPlanner#RESIDUAL_EXPONENTS}: stage s keeps
     * strength^exponent[s] of its width) seeds a candidate; 1 keeps every residual width.
     */
    static final double[] SHAPE_STRENGTHS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0};

    /**
     * One branch's layers: the allocator's levels and, level by level, the pruning step that makes each (null: none);
     * the first {@code base.stages().size()} layers are the stages' residual widths. Also the unpruned branch's
     * features on the scan clips and each stage's residual channel scores, for candidates' joint damage and shapes.
     */
    record BranchLayers(BranchSpec base, List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> steps,
                        List<float[]> baseFeatures, List<double[]> residualScores) {
    }

    /** Both branches' scanned layers, and the unpruned model they were scanned on. */
    public record Scanned(Map<View, BranchLayers> branches, ChannelSurgery.Pruned full) {
    }

    /** The steps to apply and, per branch, the table's predicted fraction of the unpruned branch's time. */
    public record Plan(List<PruneStep> steps, Map<View, Double> predictedRatio, Map<View, String> architecture) {
    }

    /**
     * One way to bring a branch to the budget.
     *
     * @param shape  "greedy" (every layer free) or "recipe shape S" (residual widths as layer-specific+channel at S)
     * @param damage relative change of the branch's pooled features on the scan clips with all {@code steps} applied
     */
    record Candidate(String shape, List<PruneStep> steps, BranchSpec spec, double predictedMs, boolean met, double damage) {
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
            List<double[]> residualScores = new ArrayList<>();
            for (int s = 0; s < branch.stages().size(); s++) {
                progress.accept(String.format("sensitivity scan %d/%d: %s.stages.%d.residual", ++done, total, v.key(), s));
                residualScores.add(importance.channelScores(PruneGroup.residual(v, s), full));
                residualLevels(full, v, s, residualScores.get(s), baseFeatures, levels, steps);
            }
            for (int s = 0; s < branch.stages().size(); s++) {
                for (BlockSpec b : branch.stage(s).blocks()) {
                    progress.accept(String.format("sensitivity scan %d/%d: %s.stages.%d.%d", ++done, total, v.key(), s, b.index()));
                    blockLevels(full, v, s, b, baseFeatures, levels, steps);
                }
            }
            out.put(v, new BranchLayers(branch, levels, steps, baseFeatures, residualScores));
        }
        return new Scanned(out, full);
    }

    private void residualLevels(ChannelSurgery.Pruned full, View v, int s, double[] scores, List<float[]> baseFeatures,
                                List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> steps) {
        int width = full.spec().branch(v).stage(s).width();
        PruneGroup group = PruneGroup.residual(v, s);
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
     * The plan that brings each branch's predicted time to {@code fraction} of its unpruned prediction, from the least
     * damaged of its {@link #candidates}: residual steps first (hidden and block steps keep their indices through them).
     */
    public Plan plan(Scanned scanned, double fraction) {
        List<PruneStep> steps = new ArrayList<>();
        Map<View, Double> ratios = new EnumMap<>(View.class);
        Map<View, String> architectures = new EnumMap<>(View.class);
        for (View v : scanned.branches().keySet()) {
            double parentMs = table.predictMs(scanned.branches().get(v).base());
            List<Candidate> candidates = candidates(scanned, v, fraction);
            Candidate chosen = choose(candidates);
            for (Candidate c : candidates) {
                progress.accept(String.format("%s candidate %s: predicted %.3f, damage %.4f%s%s", v.key(), c.shape(),
                        c.predictedMs() / parentMs, c.damage(), c.met() ? "" : " (misses the budget)", c == chosen ? " <- chosen" : ""));
            }
            steps.addAll(chosen.steps());
            if (!chosen.met()) {
                progress.accept(String.format("%s: %.3f of the predicted time cannot be reached by these levels; the most pruned"
                        + " plan predicts %.3f", v.key(), fraction, chosen.predictedMs() / parentMs));
            }
            ratios.put(v, chosen.predictedMs() / parentMs);
            architectures.put(v, chosen.spec().describe());
            progress.accept(String.format("%s: predicted %.1f of %.1f ms (%.3f, budget %.3f), %s: %s", v.key(),
                    chosen.predictedMs(), parentMs, chosen.predictedMs() / parentMs, fraction, chosen.shape(), chosen.spec().describe()));
        }
        return new Plan(residualFirst(steps), ratios, architectures);
    }

    /**
     * The steps with every residual step first, each group in its own order: hidden and block steps keep their indices
     * through residual ones.
     */
    static List<PruneStep> residualFirst(List<PruneStep> steps) {
        List<PruneStep> out = new ArrayList<>(steps.stream().filter(p -> p.group().kind() == PruneGroup.Kind.RESIDUAL).toList());
        steps.stream().filter(p -> p.group().kind() != PruneGroup.Kind.RESIDUAL).forEach(out::add);
        return List.copyOf(out);
    }

    /** The least damaged candidate that fits the budget; if none fits, the one predicted fastest. */
    static Candidate choose(List<Candidate> candidates) {
        return candidates.stream().filter(Candidate::met).min(Comparator.comparingDouble(Candidate::damage))
                .orElseGet(() -> candidates.stream().min(Comparator.comparingDouble(Candidate::predictedMs)).orElseThrow());
    }

    /**
     * The ways to bring branch {@code v} to {@code fraction} of its predicted time: the greedy pass over every layer,
     * and for each of {@link #SHAPE_STRENGTHS} the recipe's residual shape with the greedy pass over hidden widths and
     * blocks; shapes that repeat an earlier one's residual widths are left out. Each with its joint damage.
     */
    List<Candidate> candidates(Scanned scanned, View v, double fraction) {
        BranchLayers b = scanned.branches().get(v);
        double budgetMs = fraction * table.predictMs(b.base());
        int stages = b.base().stages().size();
        List<Candidate> out = new ArrayList<>();
        out.add(candidate(scanned, v, "greedy", List.of(), b.base(), b.levels(), b.steps(), budgetMs));
        List<List<LatencyAllocator.Level>> blockLevels = b.levels().subList(stages, b.levels().size());
        List<List<PruneStep>> blockSteps = b.steps().subList(stages, b.steps().size());
        Set<List<Integer>> seen = new HashSet<>();
        for (double strength : SHAPE_STRENGTHS) {
            BranchSpec shaped = b.base();
            List<PruneStep> residual = new ArrayList<>();
            List<Integer> widths = new ArrayList<>();
            for (int s = 0; s < stages; s++) {
                int width = b.base().stage(s).width();
                double exponent = StructuralPlanner.RESIDUAL_EXPONENTS[Math.min(s, StructuralPlanner.RESIDUAL_EXPONENTS.length - 1)];
                int kept = config.keepCount(width, Math.pow(strength, exponent));
                widths.add(kept);
                if (kept < width) {
                    residual.add(new PruneStep(PruneGroup.residual(v, s), Importance.topChannels(b.residualScores().get(s), kept)));
                    shaped = shaped.withStage(s, shaped.stage(s).withWidth(kept));
                }
            }
            if (seen.add(widths)) {
                out.add(candidate(scanned, v, "recipe shape " + strength, residual, shaped, blockLevels, blockSteps, budgetMs));
            }
        }
        return out;
    }

    private Candidate candidate(Scanned scanned, View v, String shape, List<PruneStep> fixed, BranchSpec base,
                                List<List<LatencyAllocator.Level>> levels, List<List<PruneStep>> levelSteps, double budgetMs) {
        LatencyAllocator.Allocation a = LatencyAllocator.allocate(base, levels, table, budgetMs);
        List<PruneStep> steps = new ArrayList<>(fixed);
        for (int l = 0; l < a.chosen().length; l++) {
            PruneStep step = levelSteps.get(l).get(a.chosen()[l]);
            if (step != null) {
                steps.add(step);
            }
        }
        steps = residualFirst(steps);
        double damage = steps.isEmpty() ? 0 : scan.sensitivity(scanned.full(), scanned.branches().get(v).baseFeatures(), v, steps);
        return new Candidate(shape, steps, a.spec(), a.predictedMs(), a.met(), damage);
    }
}
