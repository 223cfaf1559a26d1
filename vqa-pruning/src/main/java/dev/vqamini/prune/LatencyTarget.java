package dev.vqamini.prune;

import dev.vqamini.model.latency.LatencyTable;

/**
 * How a latency-targeted version met its target: the table it was planned with (its hardware header and sha256),
 * the table's predicted ratio, and the ratio measured by timing the pruned and the unpruned technical graphs
 * interleaved in one process (the median over rounds of pruned / unpruned time; ms are fastest runs), with
 * CPU-seconds per clip.
 *
 * @param target           the requested fraction of the unpruned model's latency
 * @param plannedFraction  the fraction the last plan aimed at (the target, or as corrected after a measured miss)
 * @param correctionRounds plans made after the first one because the measured ratio missed the target
 */
public record LatencyTarget(double target, String tableSha256, LatencyTable.Header table, double predictedRatio,
                            double measuredRatio, double measuredMs, double parentMeasuredMs, double cpuSecondsPerClip,
                            double parentCpuSecondsPerClip, double plannedFraction, int correctionRounds) {

    /** One line for the report's summary. */
    public String summary() {
        return String.format("latency target %.3f: predicted %.3f, measured %.3f (median of interleaved per-round ratios; fastest runs %.1f vs %.1f ms "
                        + "per technical clip; CPU-s/clip %.3f vs %.3f), planned at %.3f after %d correction round(s); table %s on %s",
                target, predictedRatio, measuredRatio, measuredMs, parentMeasuredMs, cpuSecondsPerClip, parentCpuSecondsPerClip,
                plannedFraction, correctionRounds, tableSha256.substring(0, 12), table.describe());
    }
}
