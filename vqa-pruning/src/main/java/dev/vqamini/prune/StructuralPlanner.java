package dev.vqamini.prune;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.clips.View;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a structural recipe into concrete {@link PruneStep}s: which groups shrink, to how many channels, and
 * which channels they keep (by {@link Importance}). Budgets are fractions of the unpruned model's parameters
 * and FLOPs per 32 x 224 x 224 clip, both branches.
 */
public final class StructuralPlanner {

    static final double[] HIDDEN_LEVELS = {1.0, 0.75, 0.5, 0.25};

    /**
     * layer-specific+channel narrows stage s's residual stream to target^RESIDUAL_EXPONENTS[s] before the
     * sensitivity scan places the rest of the budget. Peak memory and latency sit in the high-resolution early
     * stages, so their residual channels go; the last stages' channels are the features the heads read, so they
     * stay whole and lose blocks and hidden channels instead. From a sweep at target 0.2 on synthetic calibration
     * videos: sqrt(target) in every stage gave 0.34x latency but SRCC 0.88 against the unpruned model; these
     * exponents (keeping 0.375, 0.75, 1, 1 of the widths) 0.35x latency, 0.22x peak memory and SRCC 0.94-0.96.
     */
    static final double[] RESIDUAL_EXPONENTS = {0.6, 0.18, 0, 0};

    private final PruneConfig config;
    private final Importance importance;
    private final SensitivityScan scan;
    private final Consumer<String> progress;

    public StructuralPlanner(PruneConfig config, Importance importance, SensitivityScan scan, Consumer<String> progress) {
        this.config = config;
        this.importance = importance;
        this.scan = scan;
        this.progress = progress;
    }

    public List<PruneStep> plan(ChannelSurgery.Pruned full) {
        ModelComplexity budget = budget(full.spec());
        return switch (config.recipe()) {
            case STRUCTURED -> uniform(full, budget, true);
            case CHANNEL -> uniform(full, budget, false);
            case LAYER_SPECIFIC -> {
                List<PruneStep> capped = memoryCaps(full, full);
                yield layerSpecific(ChannelSurgery.apply(full.spec(), full.weights(), capped), budget, capped);
            }
            case LAYER_SPECIFIC_CHANNEL -> {
                double target = Math.min(config.targetParams(), config.targetFlops());
                double[] keep = new double[RESIDUAL_EXPONENTS.length];
                for (int s = 0; s < keep.length; s++) {
                    keep[s] = Math.pow(target, RESIDUAL_EXPONENTS[s]);
                }
                List<PruneStep> steps = new ArrayList<>(residualSteps(full, keep));
                ChannelSurgery.Pruned narrow = ChannelSurgery.apply(full.spec(), full.weights(), steps);
                steps.addAll(memoryCaps(full, narrow));
                yield layerSpecific(ChannelSurgery.apply(full.spec(), full.weights(), steps), budget, steps);
            }
            case UNSTRUCTURED -> throw new IllegalArgumentException("unstructured pruning zeroes weights; it has no structural plan");
        };
    }

    private ModelComplexity budget(ModelSpec spec) {
        ModelComplexity c = ModelComplexity.of(spec, 32, 224, 224);
        return new ModelComplexity((long) Math.floor(c.parameters() * config.targetParams()),
                (long) Math.floor(c.flops() * config.targetFlops()));
    }

    /** The largest uniform keep fraction whose model fits the budget (bisection; costs are monotone in it). */
    private List<PruneStep> uniform(ChannelSurgery.Pruned full, ModelComplexity budget, boolean residualToo) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 20; i++) {
            double mid = (lo + hi) / 2;
            if (fits(shapeOnly(full.spec(), mid, residualToo), budget)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (!fits(shapeOnly(full.spec(), lo, residualToo), budget)) {
            throw new IllegalArgumentException("recipe " + config.recipe() + " cannot reach " + config.targetParams()
                    + " of the parameters and " + config.targetFlops() + " of the FLOPs even at the minimum widths");
        }
        progress.accept(String.format("%s: uniform keep fraction %.3f", config.recipe(), lo));
        List<PruneStep> steps = new ArrayList<>(residualToo ? residualSteps(full, lo) : List.of());
        ChannelSurgery.Pruned model = ChannelSurgery.apply(full.spec(), full.weights(), steps);
        for (View v : View.values()) {
            for (int s = 0; s < model.spec().branch(v).stages().size(); s++) {
                for (BlockSpec b : model.spec().branch(v).stage(s).blocks()) {
                    PruneGroup g = PruneGroup.hidden(v, s, b.index());
                    PruneStep step = new PruneStep(g, Importance.topChannels(importance.channelScores(g, model),
                            config.keepCount(b.hidden(), lo)));
                    steps.add(step);
                }
            }
        }
        return steps;
    }

    private List<PruneStep> residualSteps(ChannelSurgery.Pruned full, double keep) {
        return residualSteps(full, new double[] {keep});
    }

    /** Residual widths kept per stage ({@code keep[s]}, fractions; the last applies to later stages); stages kept whole are left out. */
    private List<PruneStep> residualSteps(ChannelSurgery.Pruned full, double[] keep) {
        List<PruneStep> steps = new ArrayList<>();
        for (View v : View.values()) {
            BranchSpec b = full.spec().branch(v);
            for (int s = 0; s < b.stages().size(); s++) {
                int width = b.stage(s).width();
                int kept = config.keepCount(width, keep[Math.min(s, keep.length - 1)]);
                if (kept < width) {
                    PruneGroup g = PruneGroup.residual(v, s);
                    steps.add(new PruneStep(g, Importance.topChannels(importance.channelScores(g, full), kept)));
                }
            }
        }
        return steps;
    }

    /** The spec a uniform keep fraction would give, without touching weights (for the budget search). */
    private ModelSpec shapeOnly(ModelSpec spec, double keep, boolean residualToo) {
        ModelSpec out = spec;
        for (View v : View.values()) {
            BranchSpec b = spec.branch(v);
            for (int s = 0; s < b.stages().size(); s++) {
                var stage = b.stage(s);
                List<BlockSpec> blocks = stage.blocks().stream()
                        .map(bl -> bl.withHidden(config.keepCount(bl.hidden(), keep))).toList();
                stage = stage.withBlocks(blocks);
                if (residualToo) {
                    stage = stage.withWidth(config.keepCount(stage.width(), keep));
                }
                b = b.withStage(s, stage);
            }
            out = out.with(v, b);
        }
        return out;
    }

    private static boolean fits(ModelSpec spec, ModelComplexity budget) {
        ModelComplexity c = ModelComplexity.of(spec, 32, 224, 224);
        return c.parameters() <= budget.parameters() && c.flops() <= budget.flops();
    }

    /**
     * Peak memory follows the largest activation, a block's hidden tensor at high resolution, not parameters or
     * FLOPs: cap every block's hidden width so its activation stays within the FLOP budget's fraction of the
     * unpruned model's largest one (channels kept by importance).
     */
    private List<PruneStep> memoryCaps(ChannelSurgery.Pruned full, ChannelSurgery.Pruned model) {
        List<PruneStep> steps = new ArrayList<>();
        for (View v : View.values()) {
            long limit = (long) (config.targetFlops() * ModelComplexity.peakHiddenActivation(full.spec().branch(v), 32, 224, 224));
            BranchSpec b = model.spec().branch(v);
            for (int s = 0; s < b.stages().size(); s++) {
                long positions = ModelComplexity.positions(s, 32, 224, 224);
                for (BlockSpec block : b.stage(s).blocks()) {
                    int cap = (int) Math.max(config.channelMultiple(), limit / positions / config.channelMultiple() * config.channelMultiple());
                    if (block.hidden() > cap) {
                        PruneGroup g = PruneGroup.hidden(v, s, block.index());
                        steps.add(new PruneStep(g, Importance.topChannels(importance.channelScores(g, model), cap)));
                        progress.accept(String.format("  %s: hidden %d -> %d (activation memory cap)", g.name(), block.hidden(), cap));
                    }
                }
            }
        }
        return steps;
    }

    /** Per block: a hidden keep level or removal, chosen by {@link BudgetAllocator} from a sensitivity scan. */
    private List<PruneStep> layerSpecific(ChannelSurgery.Pruned base, ModelComplexity budget, List<PruneStep> before) {
        ModelComplexity now = ModelComplexity.of(base.spec(), 32, 224, 224);
        record Layer(View view, int stage, BlockSpec block, List<PruneStep> levelSteps) {
        }
        List<Layer> layers = new ArrayList<>();
        List<List<BudgetAllocator.Level>> levels = new ArrayList<>();
        int total = base.spec().technical().blockCount() + base.spec().aesthetic().blockCount();
        int done = 0;
        for (View v : View.values()) {
            List<float[]> baseFeatures = scan.features(base, v);
            BranchSpec branch = base.spec().branch(v);
            for (int s = 0; s < branch.stages().size(); s++) {
                for (BlockSpec b : branch.stage(s).blocks()) {
                    progress.accept(String.format("sensitivity scan %d/%d: %s.stages.%d.%d", ++done, total, v.key(), s, b.index()));
                    List<BudgetAllocator.Level> ls = new ArrayList<>();
                    List<PruneStep> steps = new ArrayList<>();
                    ls.add(new BudgetAllocator.Level("keep", 0, 0, 0));
                    steps.add(null);
                    PruneGroup hidden = PruneGroup.hidden(v, s, b.index());
                    double[] scores = importance.channelScores(hidden, base);
                    int lastKeep = b.hidden();
                    for (int i = 1; i < HIDDEN_LEVELS.length; i++) {
                        int keep = config.keepCount(b.hidden(), HIDDEN_LEVELS[i]);
                        if (keep >= lastKeep) {
                            continue;
                        }
                        lastKeep = keep;
                        PruneStep step = new PruneStep(hidden, Importance.topChannels(scores, keep));
                        ls.add(level("hidden " + keep, base, List.of(step), v, baseFeatures));
                        steps.add(step);
                    }
                    PruneStep drop = new PruneStep(PruneGroup.block(v, s, b.index()), new int[0]);
                    ls.add(level("drop", base, List.of(drop), v, baseFeatures));
                    steps.add(drop);
                    levels.add(ls);
                    layers.add(new Layer(v, s, b, steps));
                }
            }
        }
        int[] chosen = BudgetAllocator.allocate(levels, now.parameters() - budget.parameters(), now.flops() - budget.flops());
        List<PruneStep> plan = new ArrayList<>(before);
        for (int l = 0; l < layers.size(); l++) {
            PruneStep step = layers.get(l).levelSteps().get(chosen[l]);
            if (step != null) {
                plan.add(step);
                progress.accept("  " + step.group().name() + ": " + levels.get(l).get(chosen[l]).label());
            }
        }
        return plan;
    }

    private BudgetAllocator.Level level(String label, ChannelSurgery.Pruned base, List<PruneStep> steps, View v,
                                        List<float[]> baseFeatures) {
        ModelComplexity before = ModelComplexity.of(base.spec(), 32, 224, 224);
        ModelComplexity after = ModelComplexity.of(ChannelSurgery.apply(base.spec(), base.weights(), steps).spec(), 32, 224, 224);
        double sensitivity = scan.sensitivity(base, baseFeatures, v, steps);
        return new BudgetAllocator.Level(label, before.parameters() - after.parameters(), before.flops() - after.flops(), sensitivity);
    }
}
