package dev.vqamini.metrics.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.metrics.gauges.QualityGauges;
import dev.vqamini.service.TopicsAtStartup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Runs the quality topology as a Kafka Streams app whose client settings (address, TLS/SASL) come from the one
 * {@link KafkaClientSettings}, like every other client; {@code kafka-streams.*} properties pass through as Streams
 * configs. It starts once the catalog's topics exist, is ready while RUNNING or REBALANCING, and stops within
 * {@code vqa.metrics.close-timeout} even when Kafka is gone.
 */
@ApplicationScoped
public class QualityStreams {

    private static final Logger LOG = Logger.getLogger(QualityStreams.class);
    private static final String PASS_THROUGH = "kafka-streams.";

    private final KafkaStreams streams;
    private final TopicsAtStartup topics;
    private final Duration closeTimeout;
    private final KafkaStreamsMetrics metrics;

    QualityStreams(KafkaClientSettings kafka, MetricsSettings settings, MeterRegistry meters, TopicsAtStartup topics,
                   Config config) {
        this.topics = topics;
        this.closeTimeout = settings.closeTimeout();
        Properties props = new Properties();
        props.putAll(kafka.streams(settings.applicationId()));
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PASS_THROUGH)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> props.put(name.substring(PASS_THROUGH.length()), v));
            }
        }
        this.streams = new KafkaStreams(QualityGauges.instrumentedTopology(settings.window(), meters), props);
        this.metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(meters);
    }

    @Produces
    @Singleton
    KafkaStreams streams() {
        return streams;
    }

    void onStart(@Observes StartupEvent event) {
        Thread starter = new Thread(() -> {
            if (topics.awaitTopics()) {
                streams.start();
                LOG.infof("Kafka Streams started: %s", streams.state());
            }
        }, "quality-streams-start");
        starter.setDaemon(true);
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        metrics.close();
        if (!streams.close(new KafkaStreams.CloseOptions().timeout(closeTimeout))) {
            LOG.warnf("Kafka Streams did not stop within %s (is Kafka gone?): leaving its threads behind", closeTimeout);
        }
    }

    /** Ready while the topology runs or rebalances; not before it started, and not once it failed. */
    @Readiness
    @ApplicationScoped
    static class StreamsReadiness implements HealthCheck {

        private final KafkaStreams streams;

        StreamsReadiness(KafkaStreams streams) {
            this.streams = streams;
        }

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.state();
            return HealthCheckResponse.named("kafka-streams").withData("state", state.name())
                    .status(state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING).build();
        }
    }
}
