package dev.vqamini.prune;

import java.util.Arrays;

/** The five pruning recipes of the source project, with their command-line names. */
public enum PruneRecipe {
    /** Magnitude sparsity (per layer or global): zeroes weights; sizes compress, dense latency does not fall. */
    UNSTRUCTURED("unstructured"),
    /** Filters by norm, physically removed: one keep ratio on every hidden and residual group. */
    STRUCTURED("structured"),
    /** One uniform keep ratio on every block's hidden channels. */
    CHANNEL("channel"),
    /** A sensitivity scan gives each block its own hidden ratio, or drops it, to meet the budget. */
    LAYER_SPECIFIC("layer-specific"),
    /** Residual widths pruned by importance, then layer-specific on what remains: the headline recipe. */
    LAYER_SPECIFIC_CHANNEL("layer-specific+channel");

    private final String cliName;

    PruneRecipe(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static PruneRecipe parse(String name) {
        return Arrays.stream(values()).filter(r -> r.cliName.equalsIgnoreCase(name) || r.name().equalsIgnoreCase(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown recipe '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(PruneRecipe::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
