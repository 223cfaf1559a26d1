package dev.vqamini.metrics.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code vqa.metrics.*}: the quality window, how often the Prometheus gauges are recomputed, the Streams app. */
@ConfigMapping(prefix = "vqa.metrics")
public interface MetricsSettings {

    /** Correlations per version are over its last this many labelled videos. */
    @WithDefault("500")
    int window();

    @WithDefault("5s")
    Duration refresh();

    /** Kafka Streams {@code application.id}: one per deployment; instances share the work over partitions. */
    @WithDefault("vqa-metrics-service")
    String applicationId();

    /** How long a stop waits for Kafka Streams to close (it waits on the broker, which may be gone). */
    @WithDefault("10s")
    Duration closeTimeout();
}
