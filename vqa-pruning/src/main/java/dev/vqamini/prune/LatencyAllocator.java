package dev.vqamini.prune;

import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.spec.BranchSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Spends a latency budget on one branch: per prunable layer (a stage's residual width, a block's hidden width or the
 * whole block) an ordered list of levels, each a change to the branch's architecture and the damage a sensitivity scan
 * measured for it. Greedy: repeatedly advance the layer whose next level costs the least damage per millisecond the
 * latency table says it saves, until the predicted time fits; then step back any layer whose previous level still
 * fits, most damage recovered first (the last greedy step often overshoots). A pure function of its inputs.
 */
public final class LatencyAllocator {

    private LatencyAllocator() {
    }

    /**
     * One level of a layer, cumulative from the unpruned layer (level 0: no change, damage 0).
     *
     * @param change the architecture at this level, given the architecture without this layer's change
     * @param damage measured damage at this level (e.g. relative change of the branch's features)
     */
    public record Level(String label, UnaryOperator<BranchSpec> change, double damage) {
    }

    /**
     * The chosen level per layer and the architecture and predicted milliseconds they give; {@code met} false when even
     * every layer pruned as far as it goes misses the budget (then that most pruned choice is returned).
     */
    public record Allocation(int[] chosen, BranchSpec spec, double predictedMs, boolean met) {
    }

    /**
     * @param base     the branch before any of these layers' changes
     * @param layers   per layer its levels, from least to most pruned; level 0 must be the identity
     * @param budgetMs the predicted milliseconds per clip to reach
     */
    public static Allocation allocate(BranchSpec base, List<List<Level>> layers, LatencyTable table, double budgetMs) {
        int[] chosen = new int[layers.size()];
        double now = table.predictMs(apply(base, layers, chosen));
        while (now > budgetMs) {
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            double bestMs = now;
            for (int l = 0; l < layers.size(); l++) {
                if (chosen[l] + 1 >= layers.get(l).size()) {
                    continue;
                }
                chosen[l]++;
                double ms = table.predictMs(apply(base, layers, chosen));
                chosen[l]--;
                double saved = now - ms;
                if (saved <= 0) {
                    continue;
                }
                double damage = Math.max(0, layers.get(l).get(chosen[l] + 1).damage() - layers.get(l).get(chosen[l]).damage());
                double cost = damage / saved;
                if (cost < bestCost) {
                    bestCost = cost;
                    best = l;
                    bestMs = ms;
                }
            }
            if (best < 0) {
                return new Allocation(Arrays.copyOf(chosen, chosen.length), apply(base, layers, chosen), now, false);
            }
            chosen[best]++;
            now = bestMs;
        }
        // step back what still fits, the largest damage recovered first
        boolean stepped = true;
        while (stepped) {
            stepped = false;
            int best = -1;
            double bestRecovered = -1;
            double bestMs = now;
            for (int l = 0; l < layers.size(); l++) {
                if (chosen[l] == 0) {
                    continue;
                }
                chosen[l]--;
                double ms = table.predictMs(apply(base, layers, chosen));
                chosen[l]++;
                double recovered = layers.get(l).get(chosen[l]).damage() - layers.get(l).get(chosen[l] - 1).damage();
                if (ms <= budgetMs && recovered > bestRecovered) {
                    bestRecovered = recovered;
                    best = l;
                    bestMs = ms;
                }
            }
            if (best >= 0) {
                chosen[best]--;
                now = bestMs;
                stepped = true;
            }
        }
        return new Allocation(Arrays.copyOf(chosen, chosen.length), apply(base, layers, chosen), now, true);
    }

    static BranchSpec apply(BranchSpec base, List<List<Level>> layers, int[] chosen) {
        BranchSpec spec = base;
        for (int l = 0; l < layers.size(); l++) {
            spec = layers.get(l).get(chosen[l]).change().apply(spec);
        }
        return spec;
    }
}
