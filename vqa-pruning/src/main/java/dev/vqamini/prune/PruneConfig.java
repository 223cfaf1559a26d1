package dev.vqamini.prune;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What to prune and how far: an immutable configuration record.
 *
 * @param recipe          the recipe
 * @param targetParams    fraction of the full model's inference parameters to keep (e.g. 0.2)
 * @param targetFlops     fraction of its FLOPs per clip to keep (structural recipes meet both budgets)
 * @param importance      how channels are ranked
 * @param globalSparsity  unstructured only: one magnitude threshold over all layers instead of one per layer
 * @param channelMultiple channel counts are rounded to multiples of this ({@link #defaultChannelMultiple()} unless given)
 * @param scanVideos      calibration videos used for activation statistics and the sensitivity scan
 * @param refitTarget     what the heads are refitted to
 * @param targetLatency   null, or the fraction of the unpruned model's latency to keep, as a latency table predicts it
 *                        on the table's hardware ({@link LatencyPlanner}); the parameter and FLOP targets are then 1
 */
public record PruneConfig(PruneRecipe recipe, double targetParams, double targetFlops, ImportanceKind importance,
                          boolean globalSparsity, int channelMultiple, int scanVideos, RefitTarget refitTarget,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Double targetLatency) {

    public enum ImportanceKind { MAGNITUDE, ACTIVATION }

    /**
     * {@code TEACHER}: distillation, position by position, from the unpruned model's head maps (needs no labels;
     * the default, because with tens of labelled videos a refit on labels overfits its hundreds of weights and
     * ranks held-out videos worse, by the labels themselves, than distillation does). {@code LABELS}: ridge on MOS.
     */
    public enum RefitTarget {
        TEACHER, LABELS;

        /** As JSON, reports and requests name it: "teacher", "labels". */
        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** From either spelling ("teacher" or "TEACHER"), as requests and older manifests give it. */
        @JsonCreator
        public static RefitTarget of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
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
        if (targetLatency != null && !(targetLatency > 0 && targetLatency <= 1)) {
            throw new IllegalArgumentException("targetLatency must be a fraction in (0, 1], got " + targetLatency);
        }
        if (targetLatency != null && recipe != PruneRecipe.LAYER_SPECIFIC && recipe != PruneRecipe.LAYER_SPECIFIC_CHANNEL) {
            throw new IllegalArgumentException("a latency target needs recipe layer-specific or layer-specific+channel, got "
                    + recipe.cliName());
        }
    }

    /** A configuration with parameter and FLOP targets only (no latency target). */
    public PruneConfig(PruneRecipe recipe, double targetParams, double targetFlops, ImportanceKind importance,
                       boolean globalSparsity, int channelMultiple, int scanVideos, RefitTarget refitTarget) {
        this(recipe, targetParams, targetFlops, importance, globalSparsity, channelMultiple, scanVideos, refitTarget, null);
    }

    public static PruneConfig of(PruneRecipe recipe, double targetParams) {
        return builder(recipe.cliName(), targetParams).build();
    }

    /** The one way a configuration is made from what a user wrote (CLI options, a job request). */
    public static Builder builder(String recipe, Double targetParams) {
        return new Builder(recipe, targetParams);
    }

    /**
     * A configuration from names and numbers as users give them; what is left null takes its default (FLOPs: the
     * parameters' fraction, activation importance, per-layer sparsity, multiples of {@link #defaultChannelMultiple()} (8),
     * 3 scan videos, the teacher).
     */
    public static final class Builder {
        private final String recipe;
        private final Double targetParams;
        private Double targetFlops;
        private String importance;
        private boolean globalSparsity;
        private int scanVideos = 3;
        private String refitTarget;
        private Double targetLatency;
        private Integer channelMultiple;

        private Builder(String recipe, Double targetParams) {
            this.recipe = recipe;
            this.targetParams = targetParams;
        }

        public Builder targetFlops(Double fraction) {
            this.targetFlops = fraction;
            return this;
        }

        /** "activation" or "magnitude", either case. */
        public Builder importance(String kind) {
            this.importance = kind;
            return this;
        }

        public Builder globalSparsity(boolean global) {
            this.globalSparsity = global;
            return this;
        }

        public Builder scanVideos(int videos) {
            this.scanVideos = videos;
            return this;
        }

        /**
         * A fraction of the unpruned model's latency (as a latency table predicts it) instead of parameter and FLOP
         * targets; null: none.
         */
        public Builder targetLatency(Double fraction) {
            this.targetLatency = fraction;
            return this;
        }

        /** Channel counts are rounded to multiples of this; null: {@link #defaultChannelMultiple()}. */
        public Builder channelMultiple(Integer multiple) {
            this.channelMultiple = multiple;
            return this;
        }

        /** "teacher" or "labels", either case. */
        public Builder refitTarget(String target) {
            this.refitTarget = target;
            return this;
        }

        /** @throws IllegalArgumentException naming the field and the values it takes */
        public PruneConfig build() {
            if (recipe == null || (targetParams == null && targetLatency == null)) {
                throw new IllegalArgumentException(recipe == null ? "recipe is required" : "targetParams or targetLatency is required");
            }
            if (targetLatency != null && (targetParams != null || targetFlops != null)) {
                throw new IllegalArgumentException("give a latency target or parameter/FLOP targets, not both");
            }
            if (channelMultiple != null && channelMultiple < 1) {
                throw new IllegalArgumentException("channelMultiple must be positive, got " + channelMultiple);
            }
            double params = targetParams != null ? targetParams : 1.0;
            return new PruneConfig(PruneRecipe.parse(recipe), params, targetFlops != null ? targetFlops : params,
                    importance == null ? ImportanceKind.ACTIVATION : parse(ImportanceKind.class, "importance", importance),
                    globalSparsity, channelMultiple != null ? channelMultiple : defaultChannelMultiple(), scanVideos,
                    refitTarget == null ? RefitTarget.TEACHER : parse(RefitTarget.class, "refitTarget", refitTarget), targetLatency);
        }

        private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " must be one of " + Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value + "'", e);
            }
        }
    }

    /**
     * The channel multiple a configuration gets when none is given: 8, on AVX-512 hosts too. Measured interleaved on
     * this project's AVX-512 host (docs/benchmarks.md), widths at multiples of 16 bought nothing over their neighbouring
     * multiples of 8: a stage's residual width cost 3-4 % of the branch per 8 channels whether or not it ended on 16,
     * and a hidden width at a multiple of 16 cost no more than the 8 below it in 3 of 6 pairs only. Rounding to 16
     * would only take away choices; {@code channelMultiple(16)} is there for hardware where it pays.
     */
    public static int defaultChannelMultiple() {
        return 8;
    }

    /** Channels kept out of {@code n} at keep fraction {@code f}, rounded to the channel multiple. */
    public int keepCount(int n, double f) {
        int m = Math.min(channelMultiple, n);
        int k = (int) Math.round(n * f / m) * m;
        return Math.max(m, Math.min(n, k));
    }
}
