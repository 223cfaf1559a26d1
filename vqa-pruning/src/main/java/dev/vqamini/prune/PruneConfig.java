package dev.vqamini.prune;

/**
 * What to prune and how far: an immutable configuration record.
 *
 * @param recipe          the recipe
 * @param targetParams    fraction of the full model's inference parameters to keep (e.g. 0.2)
 * @param targetFlops     fraction of its FLOPs per clip to keep (structural recipes meet both budgets)
 * @param importance      how channels are ranked
 * @param globalSparsity  unstructured only: one magnitude threshold over all layers instead of one per layer
 * @param channelMultiple channel counts are rounded to multiples of this (vectorised kernels prefer 8)
 * @param scanVideos      calibration videos used for activation statistics and the sensitivity scan
 * @param refitTarget     what the heads are refitted to
 */
public record PruneConfig(PruneRecipe recipe, double targetParams, double targetFlops, ImportanceKind importance,
                          boolean globalSparsity, int channelMultiple, int scanVideos, RefitTarget refitTarget) {

    public enum ImportanceKind { MAGNITUDE, ACTIVATION }

    /**
     * {@code TEACHER}: distillation, position by position, from the unpruned model's head maps (needs no labels;
     * the default, because with tens of labelled videos a refit on labels overfits its hundreds of weights and
     * ranks held-out videos worse, by the labels themselves, than distillation does). {@code LABELS}: ridge on MOS.
     */
    public enum RefitTarget {
        TEACHER, LABELS;

        /** As JSON, reports and requests name it: "teacher", "labels". */
        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** From either spelling ("teacher" or "TEACHER"), as requests and older manifests give it. */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static RefitTarget of(String name) {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    public PruneConfig {
        if (!(targetParams > 0 && targetParams <= 1) || !(targetFlops > 0 && targetFlops <= 1)) {
            throw new IllegalArgumentException("targets must be fractions in (0, 1], got params " + targetParams
                    + ", flops " + targetFlops);
        }
        if (channelMultiple < 1 || scanVideos < 1) {
            throw new IllegalArgumentException("channelMultiple and scanVideos must be positive");
        }
    }

    public static PruneConfig of(PruneRecipe recipe, double targetParams) {
        return new PruneConfig(recipe, targetParams, targetParams, ImportanceKind.ACTIVATION, false, 8, 3, RefitTarget.TEACHER);
    }

    public PruneConfig withImportance(ImportanceKind kind) {
        return new PruneConfig(recipe, targetParams, targetFlops, kind, globalSparsity, channelMultiple, scanVideos, refitTarget);
    }

    public PruneConfig withTargetFlops(double flops) {
        return new PruneConfig(recipe, targetParams, flops, importance, globalSparsity, channelMultiple, scanVideos, refitTarget);
    }

    public PruneConfig withRefitTarget(RefitTarget target) {
        return new PruneConfig(recipe, targetParams, targetFlops, importance, globalSparsity, channelMultiple, scanVideos, target);
    }

    /** Channels kept out of {@code n} at keep fraction {@code f}, rounded to the channel multiple. */
    public int keepCount(int n, double f) {
        int m = Math.min(channelMultiple, n);
        int k = (int) Math.round(n * f / m) * m;
        return Math.max(m, Math.min(n, k));
    }
}
