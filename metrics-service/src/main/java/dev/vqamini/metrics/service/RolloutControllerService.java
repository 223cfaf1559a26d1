package dev.vqamini.metrics.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.metrics.gauges.RolloutGauges;
import dev.vqamini.metrics.streams.QualityStore;
import dev.vqamini.quality.rollout.RolloutControllerLoop;
import dev.vqamini.service.TopicsAtStartup;
import dev.vqamini.wire.proto.RolloutDecision;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the rollout controller inside metrics-service, which has the evidence ({@link QualityStore#rolloutEvidence}).
 * Wiring only: the decisions are {@code RolloutController}'s, the election and the Kafka round trips
 * {@link RolloutControllerLoop}'s.
 */
@ApplicationScoped
public class RolloutControllerService {

    private static final Logger LOG = Logger.getLogger(RolloutControllerService.class);

    private final KafkaClientSettings kafka;
    private final QualityStore quality;
    private final RolloutControllerSettings settings;
    private final TopicsAtStartup topics;
    private final MeterRegistry meters;
    private volatile RolloutControllerLoop loop;
    private ScheduledExecutorService gauges;

    RolloutControllerService(KafkaClientSettings kafka, QualityStore quality, RolloutControllerSettings settings,
                             TopicsAtStartup topics, MeterRegistry meters) {
        this.kafka = kafka;
        this.quality = quality;
        this.settings = settings;
        this.topics = topics;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        Thread starter = new Thread(() -> {
            if (topics.awaitTopics()) {
                // disabled: a zero interval never ticks, but the decisions on record are still followed and served
                loop = new RolloutControllerLoop(kafka, settings.groupId(), settings.enabled() ? settings.interval() : Duration.ZERO,
                        settings.sessionTimeout(), quality::rolloutEvidence, System::currentTimeMillis, LOG::info).start();
                RolloutGauges rolloutGauges = new RolloutGauges(loop, meters);
                gauges = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rollout-gauges");
                    t.setDaemon(true);
                    return t;
                });
                gauges.scheduleWithFixedDelay(rolloutGauges::refresh, 1, 1, TimeUnit.SECONDS);
            }
        }, "rollout-controller-start");
        starter.setDaemon(true);
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (gauges != null) {
            gauges.shutdownNow();
        }
        if (loop != null) {
            loop.close();
        }
    }

    /** The decisions on record, oldest first (every instance follows them, leader or not). */
    public List<RolloutDecision> decisions() {
        return loop == null ? List.of() : loop.recent();
    }

    public Optional<RolloutDecision> lastDecision(String model) {
        return loop == null ? Optional.empty() : Optional.ofNullable(loop.lastByModel().get(model));
    }

    public boolean leader() {
        return loop != null && loop.leader();
    }
}
