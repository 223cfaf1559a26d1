package dev.vqamini.metrics.rollout;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.metrics.quality.QualityService;
import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.rollout.RolloutControllerLoop;
import dev.vqamini.quality.rollout.RolloutEvidence;
import dev.vqamini.service.TopicsAtStartup;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutPlan;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the rollout controller inside metrics-service, which has the evidence: the shadow-paired videos of the
 * candidate's current step and both versions' latency and throughput, from the quality topology's stores. Wiring
 * only; the decisions are {@code RolloutController}'s, the election and the Kafka round trips
 * {@code RolloutControllerLoop}'s.
 */
@ApplicationScoped
public class RolloutControllerService {

    private static final Logger LOG = Logger.getLogger(RolloutControllerService.class);

    private final KafkaClientSettings kafka;
    private final QualityService quality;
    private final RolloutControllerSettings settings;
    private final TopicsAtStartup topics;
    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile RolloutControllerLoop loop;
    private ScheduledExecutorService gauges;

    RolloutControllerService(KafkaClientSettings kafka, QualityService quality, RolloutControllerSettings settings,
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
                        settings.sessionTimeout(), this::evidence, System::currentTimeMillis, LOG::info).start();
                Gauge.builder("vqa.rollout.controller.leader", () -> loop.leader() ? 1 : 0)
                        .description("1 on the metrics-service instance whose rollout controller acts").register(meters);
                gauges = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rollout-gauges");
                    t.setDaemon(true);
                    return t;
                });
                gauges.scheduleWithFixedDelay(this::registerGauges, 1, 1, TimeUnit.SECONDS);
            }
        }, "rollout-controller-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Per model with a decision on record: its plan's step and the last action (Grafana annotates on changes). */
    private void registerGauges() {
        for (String model : loop.lastByModel().keySet()) {
            if (gauged.add(model)) {
                Gauge.builder("vqa.rollout.decision.step", () -> Optional.ofNullable(loop.lastByModel().get(model))
                                .map(RolloutDecision::getStep).orElse(-1))
                        .description("plan step of the controller's last decision").tag("model", model).register(meters);
                Gauge.builder("vqa.rollout.decision.action", () -> Optional.ofNullable(loop.lastByModel().get(model))
                                .map(d -> code(d.getAction())).orElse(0))
                        .description("last decision: 1 step up, 2 promote, -1 roll back, 3 pause, 4 stand down, 0 hold")
                        .tag("model", model).register(meters);
                Gauge.builder("vqa.rollout.decision.time.seconds", () -> Optional.ofNullable(loop.lastByModel().get(model))
                                .map(d -> d.getDecidedAtMs() / 1000.0).orElse(Double.NaN))
                        .description("when the controller's last decision was made, epoch seconds").tag("model", model).register(meters);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (gauges != null) {
            gauges.shutdownNow();
        }
        if (loop != null) {
            loop.close();
        }
    }

    /**
     * The candidate's evidence: every pair since the plan began (plans written before that field existed: since the
     * step began), how many of them in this step, both versions' costs.
     */
    RolloutEvidence evidence(Rollout rollout, long nowMs) {
        RolloutPlan plan = rollout.getPlan();
        String stable = rollout.getStableVersion();
        String candidate = plan.getCandidateVersion();
        long planStart = plan.getPlanStartedAtMs() > 0 ? plan.getPlanStartedAtMs() : plan.getStepStartedAtMs();
        PairWindow pairs = quality.pairs(stable, candidate).since(planStart);
        int stepPairs = pairs.since(plan.getStepStartedAtMs()).scores(stable, candidate).n();
        Map<String, VersionStats> stats = quality.stats();
        return new RolloutEvidence(pairs.scores(stable, candidate), stepPairs,
                Math.max(0, nowMs - plan.getStepStartedAtMs()) / 1000, stats.getOrDefault(candidate, VersionStats.empty()),
                stats.getOrDefault(stable, VersionStats.empty()), quality.refusals(candidate));
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

    /** For gauges: the action code of a decision (1 step up, 2 promote, -1 roll back, 0 hold, 3 pause, 4 stand down). */
    static int code(RolloutAction a) {
        return switch (a) {
            case ROLLOUT_ACTION_STEP_UP -> 1;
            case ROLLOUT_ACTION_PROMOTE -> 2;
            case ROLLOUT_ACTION_ROLL_BACK -> -1;
            case ROLLOUT_ACTION_PAUSE -> 3;
            case ROLLOUT_ACTION_STAND_DOWN -> 4;
            default -> 0;
        };
    }
}
