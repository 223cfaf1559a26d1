package dev.vqamini.prune;

import java.util.Arrays;

/**
 * Scores the channels of a group: one number per channel, higher = more important (kept first).
 * Implementations: {@link MagnitudeImportance} (weights only) and {@link ActivationImportance} (calibration clips).
 */
@FunctionalInterface
public interface Importance {

    double[] channelScores(PruneGroup group, ChannelSurgery.Pruned model);

    /** Indices of the {@code keep} highest-scoring channels, in ascending index order. */
    static int[] topChannels(double[] scores, int keep) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] kept = new int[keep];
        for (int i = 0; i < keep; i++) {
            kept[i] = order[i];
        }
        Arrays.sort(kept);
        return kept;
    }
}
