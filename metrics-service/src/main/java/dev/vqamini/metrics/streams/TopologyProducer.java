package dev.vqamini.metrics.streams;

import dev.vqamini.metrics.quality.MetricsSettings;
import dev.vqamini.wire.proto.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.apache.kafka.streams.Topology;

/** Hands the topology to Quarkus Kafka Streams, which runs and health-checks it. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(MetricsSettings settings, MeterRegistry meters) {
        return QualityTopology.build(settings.window(), s -> {
            Timer.builder("vqa.video.end.to.end").description("ingest of a video's first clip to its score")
                    .tag("model_version", s.getModelVersion()).publishPercentileHistogram().register(meters)
                    .record(Duration.ofMillis((long) s.getEndToEndMs()));
            Timer.builder("vqa.video.inference").description("model time of a whole video")
                    .tag("model_version", s.getModelVersion()).publishPercentileHistogram().register(meters)
                    .record(Duration.ofNanos((long) (s.getInferenceMs() * 1e6)));
            meters.counter("vqa.video.scores", "model_version", s.getModelVersion()).increment();
            meters.counter("vqa.video.clips", "model_version", s.getModelVersion()).increment(s.getClips());
        }, d -> meters.counter("vqa.dead.letters", "stage", d.getStage(), "reason", reason(d)).increment());
    }

    /** A bounded tag: the writer's error category (a class name loses its package), never the free-text reason. */
    static String reason(DeadLetter d) {
        String type = d.getErrorType();
        return type.isBlank() ? "unknown" : type.substring(type.lastIndexOf('.') + 1);
    }
}
