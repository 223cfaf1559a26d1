package dev.vqamini.prune;

import java.util.Arrays;
import java.util.List;

/**
 * Gives each layer its own pruning level to meet a parameter and FLOP budget at the least measured damage.
 * A pure function: greedily take the next level of whichever layer costs the least sensitivity per unit of
 * budget still needed, until both budgets are met.
 */
public final class BudgetAllocator {

    private BudgetAllocator() {
    }

    /**
     * One level of one layer, cumulative from the unpruned layer.
     *
     * @param paramsSaved parameters removed at this level
     * @param flopsSaved  FLOPs per clip removed at this level
     * @param sensitivity measured damage at this level (e.g. relative change of the output features)
     */
    public record Level(String label, long paramsSaved, long flopsSaved, double sensitivity) {
    }

    /**
     * @param layers      per layer its levels, from least to most pruned (level 0 = unpruned, all zeros)
     * @param paramsNeed  parameters that must be removed in total
     * @param flopsNeed   FLOPs that must be removed in total
     * @return the chosen level index per layer
     * @throws IllegalArgumentException when even the most pruned levels miss the budget
     */
    public static int[] allocate(List<List<Level>> layers, long paramsNeed, long flopsNeed) {
        int[] chosen = new int[layers.size()];
        long params = 0;
        long flops = 0;
        while (params < paramsNeed || flops < flopsNeed) {
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int l = 0; l < layers.size(); l++) {
                List<Level> levels = layers.get(l);
                if (chosen[l] + 1 >= levels.size()) {
                    continue;
                }
                Level now = levels.get(chosen[l]);
                Level next = levels.get(chosen[l] + 1);
                double gain = (params < paramsNeed ? (double) (next.paramsSaved() - now.paramsSaved()) / Math.max(1, paramsNeed) : 0)
                        + (flops < flopsNeed ? (double) (next.flopsSaved() - now.flopsSaved()) / Math.max(1, flopsNeed) : 0);
                if (gain <= 0) {
                    continue;
                }
                double cost = Math.max(0, next.sensitivity() - now.sensitivity()) / gain;
                if (cost < bestCost) {
                    bestCost = cost;
                    best = l;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException("budget cannot be met: removing everything allowed saves " + params
                        + " of " + paramsNeed + " parameters and " + flops + " of " + flopsNeed + " FLOPs");
            }
            chosen[best]++;
            Level level = layers.get(best).get(chosen[best]);
            Level before = layers.get(best).get(chosen[best] - 1);
            params += level.paramsSaved() - before.paramsSaved();
            flops += level.flopsSaved() - before.flopsSaved();
        }
        return Arrays.copyOf(chosen, chosen.length);
    }
}
