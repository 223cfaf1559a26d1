package dev.vqamini.metrics.quality;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code vqa.metrics.*}: the quality window and how often the Prometheus gauges are recomputed. */
@ConfigMapping(prefix = "vqa.metrics")
public interface MetricsSettings {

    /** Correlations per version are over its last this many labelled videos. */
    @WithDefault("500")
    int window();

    @WithDefault("5s")
    Duration refresh();
}
