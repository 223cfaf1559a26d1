package dev.vqamini.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What came out for a set of uploads, as the fault matrix counts it: video scores and dead letters read from the
 * topics (duplicates, the time each video was first scored) and the videos metrics-service counted.
 */
final class UploadTally {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClientSettings kafka;
    private final Supplier<String> metricsUrl;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param timeout the longest wait for a set of uploads to be scored or dead-lettered */
    UploadTally(KafkaClientSettings kafka, Supplier<String> metricsUrl, Duration timeout) {
        this.kafka = kafka;
        this.metricsUrl = metricsUrl;
        this.timeout = timeout;
    }

    /** @param scoredAtMs when each video was first scored (its ingest time plus its end-to-end time) */
    record Counts(int scored, int duplicates, int deadLetters, List<Long> scoredAtMs) {

        /** The longest wait, from the fault on, for the next video to be scored. */
        double longestGapSeconds(long faultMs) {
            long gap = 0;
            long previous = faultMs;
            for (long t : scoredAtMs.stream().filter(t -> t >= faultMs).sorted().toList()) {
                gap = Math.max(gap, t - previous);
                previous = t;
            }
            return gap / 1000.0;
        }
    }

    /** Reads the topics until every upload is scored or dead-lettered, or the timeout passes. */
    Counts awaitCounts(List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Counts c = counts(ids::contains);
            if (c.scored + c.deadLetters >= ids.size() || System.nanoTime() > deadline) {
                return c;
            }
            Thread.sleep(1000);
        }
    }

    Counts counts(Predicate<String> ours) {
        Map<String, Integer> scores = new HashMap<>(); // upload id -> video-score records
        Map<String, String> videoOf = new HashMap<>();
        Map<String, Long> scoredAt = new HashMap<>(); // video id -> first score
        kafka.topicReader("faults").readToEnd(TopicCatalog.VIDEO_SCORES.name(), WireSerdes.videoScores().deserializer(),
                (k, v) -> {
                    if (ours.test(v.getVideoId()) && !v.getShadow()) {
                        scores.merge(v.getUploadId(), 1, Integer::sum);
                        videoOf.put(v.getUploadId(), v.getVideoId());
                        scoredAt.merge(v.getVideoId(), v.getIngestTimeMs() + (long) v.getEndToEndMs(), Math::min);
                    }
                });
        Set<String> dead = new HashSet<>();
        kafka.topicReader("faults").readToEnd(TopicCatalog.DLQ.name(), WireSerdes.deadLetters().deserializer(),
                (k, d) -> {
                    if (k != null && ours.test(k)) {
                        dead.add(k);
                    }
                });
        long scoredVideos = videoOf.values().stream().distinct().count();
        int duplicates = scores.values().stream().mapToInt(n -> n - 1).sum()
                + (int) (videoOf.size() - scoredVideos); // the same video scored under two upload ids
        return new Counts((int) scoredVideos, duplicates, dead.size(), List.copyOf(scoredAt.values()));
    }

    /** Videos metrics-service counted, all versions together. */
    int totalCounted() throws Exception {
        int total = 0;
        for (JsonNode n : versionCounts()) {
            total += n.asInt();
        }
        return total;
    }

    /** Waits (up to a minute) for metrics-service to count {@code expected} videos; returns what it counts. */
    int awaitCounted(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int counted = totalCounted();
        while (counted < expected && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            counted = totalCounted();
        }
        Thread.sleep(2000); // then a moment more, so that one counted twice would show
        return totalCounted();
    }

    /** Videos per version in metrics-service's table. */
    JsonNode versionCounts() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metricsUrl.get() + "/versions"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        var counts = JSON.createObjectNode();
        if (r.statusCode() == 200) {
            for (JsonNode row : JSON.readTree(r.body())) {
                counts.put(row.path("model_version").asText(), row.path("videos").asInt());
            }
        }
        return counts;
    }
    String scoredBy(List<String> ids) {
        Map<String, Integer> byVersion = new LinkedHashMap<>();
        kafka.topicReader("faults").readToEnd(TopicCatalog.VIDEO_SCORES.name(), WireSerdes.videoScores().deserializer(),
                (k, v) -> {
                    if (ids.contains(v.getVideoId())) {
                        byVersion.merge(v.getModelVersion(), 1, Integer::sum);
                    }
                });
        return "scored by " + byVersion;
    }
}
