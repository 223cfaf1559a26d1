package dev.vqamini.scorer;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Scorer tests run tiny models on 4 x 64 x 64 clips, so 100 videos take seconds on 2 cores. */
public class TinyScorerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("vqa.scorer.clip.frames", "4"),
                Map.entry("vqa.scorer.clip.height", "64"),
                Map.entry("vqa.scorer.clip.width", "64"),
                Map.entry("vqa.scorer.max-batch", "4"),
                Map.entry("vqa.scorer.threads", "1"),
                Map.entry("vqa.scorer.video-timeout", "20s"),
                Map.entry("vqa.scorer.commit-interval", "200ms"),
                Map.entry("vqa.scorer.provider", "cpu"),
                Map.entry("vqa.scorer.latency-table.passes", "1"),
                Map.entry("vqa.scorer.latency-table.repeats", "1"),
                Map.entry("vqa.scorer.latency-table.grid-points", "1"));
    }
}
