package dev.vqamini.scorer;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Scorer tests run tiny models on 4 x 64 x 64 clips, so 100 videos take seconds on 2 cores. */
public class TinyScorerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("vqa.scorer.clip.frames", "4", "vqa.scorer.clip.height", "64", "vqa.scorer.clip.width", "64",
                "vqa.scorer.max-batch", "4", "vqa.scorer.threads", "1", "vqa.scorer.video-timeout", "20s",
                "vqa.scorer.commit-interval", "200ms", "vqa.scorer.provider", "cpu");
    }
}
