package dev.vqamini.quality;

import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput and latency of one version: videos and clips scored, first and last score times, and the end-to-end
 * and inference latencies of its last {@link #LATENCIES} videos (for p50/p99 that survive a restart).
 */
public record VersionStats(long videos, long clips, long firstMs, long lastMs, double inferenceMsSum,
                           List<Double> endToEndSeconds, List<Double> inferenceSeconds) {

    static final int LATENCIES = 1000;

    public static VersionStats empty() {
        return new VersionStats(0, 0, 0, 0, 0, List.of(), List.of());
    }

    public VersionStats with(VideoScoreRecord s, long nowMs) {
        return new VersionStats(videos + 1, clips + s.getClips(), videos == 0 ? nowMs : Math.min(firstMs, nowMs), Math.max(lastMs, nowMs),
                inferenceMsSum + s.getInferenceMs(), last(endToEndSeconds, s.getEndToEndMs() / 1000),
                last(inferenceSeconds, s.getInferenceMs() / 1000));
    }

    /** Clips per second between the first and the last score (0 until two scores are apart in time). */
    public double clipsPerSecond() {
        double seconds = (lastMs - firstMs) / 1000.0;
        return seconds > 0 ? clips / seconds : 0;
    }

    public double videosPerSecond() {
        double seconds = (lastMs - firstMs) / 1000.0;
        return seconds > 0 ? videos / seconds : 0;
    }

    private static List<Double> last(List<Double> xs, double x) {
        List<Double> next = new ArrayList<>(xs.size() >= LATENCIES ? xs.subList(1, xs.size()) : xs);
        next.add(x);
        return next;
    }
}
