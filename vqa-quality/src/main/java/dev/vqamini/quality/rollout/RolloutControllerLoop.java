package dev.vqamini.quality.rollout;

import dev.vqamini.kafka.GroupLeadership;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicFollower;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs {@link RolloutController} against Kafka: every {@code interval}, if this instance leads (its
 * {@link GroupLeadership} on the one-partition vqa.rollout-decisions), it reads every rollout from vqa.rollouts,
 * decides each active plan on the evidence the service gives, applies the decision's edit through
 * {@link RolloutWriter} compare-and-set on the revision it decided on, and writes the decision to
 * vqa.rollout-decisions. Everything it needs to resume (the plan, its step, when the step began) is in the rollout
 * itself, so a restarted or newly elected controller continues where the last one stopped. It also follows
 * vqa.rollout-decisions (every instance does, leader or not) to serve the recent decisions.
 *
 * <p>A hold or a stand-down is written once per step and rollout revision, not at every tick, and again every
 * {@link #HOLD_EVERY_PAIRS} paired videos while the sequential gates gather evidence, so that the record shows it grow.
 */
public final class RolloutControllerLoop implements AutoCloseable {

    /** The evidence of a planned rollout's candidate at its current step. */
    @FunctionalInterface
    public interface EvidenceSource {
        RolloutEvidence evidence(Rollout rollout, long nowMs);
    }

    static final int RECENT = 500;
    static final int HOLD_EVERY_PAIRS = 10;

    private final RolloutWriter writer;
    private final GroupLeadership leadership;
    private final TopicFollower<RolloutDecision> decisionsFollower;
    private final KafkaProducer<String, RolloutDecision> producer;
    private final EvidenceSource evidence;
    private final LongSupplier clock;
    private final Consumer<String> log;
    private final Duration interval;
    private final Map<String, RolloutDecision> lastWritten = new ConcurrentHashMap<>();
    private final Map<String, RolloutDecision> lastByModel = new ConcurrentHashMap<>();
    private final Deque<RolloutDecision> recent = new ArrayDeque<>();
    private ScheduledExecutorService ticker;

    public RolloutControllerLoop(KafkaClientSettings kafka, String groupId, Duration interval, Duration sessionTimeout,
                                 EvidenceSource evidence, LongSupplier clock, Consumer<String> log) {
        this.writer = new RolloutWriter(kafka);
        this.leadership = new GroupLeadership(kafka, groupId, TopicCatalog.ROLLOUT_DECISIONS.name(), sessionTimeout,
                m -> log.accept("rollout controller " + m));
        this.decisionsFollower = new TopicFollower<>(kafka.consumer("rollout-decisions"), TopicCatalog.ROLLOUT_DECISIONS.name(),
                WireSerdes.rolloutDecisions().deserializer(), (key, d) -> remember(d), log);
        this.producer = new KafkaProducer<>(kafka.producer("rollout-controller"), new StringSerializer(),
                WireSerdes.rolloutDecisions().serializer());
        this.evidence = evidence;
        this.clock = clock;
        this.log = log;
        this.interval = interval;
    }

    /** Joins the election, follows the decisions and ticks every interval (a zero interval: ticks only by hand). */
    public RolloutControllerLoop start() {
        leadership.start();
        decisionsFollower.start();
        if (!interval.isZero()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rollout-controller");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Whether this instance is the acting controller now. */
    public boolean leader() {
        return leadership.leader();
    }

    /**
     * One round: every active plan decided, edited and recorded, if this instance leads.
     *
     * @return the decisions written this round (empty when not leading)
     */
    public synchronized List<RolloutDecision> tick() throws InterruptedException {
        List<RolloutDecision> written = new ArrayList<>();
        if (!leadership.leader()) {
            return written;
        }
        for (Rollout r : writer.all().values()) {
            long now = clock.getAsLong();
            Optional<RolloutController.Decision> decided = RolloutController.decide(r, evidence.evidence(r, now), now);
            if (decided.isEmpty()) {
                continue;
            }
            RolloutDecision d = decided.get().record();
            if (decided.get().edit().isEmpty() && same(lastWritten.get(r.getModelName()), d)) {
                continue; // this hold or stand-down is already on record
            }
            if (decided.get().edit().isPresent()) {
                if (!leadership.leader()) {
                    break; // lost the lead while deciding
                }
                try {
                    Rollout after = writer.apply(r.getModelName(),
                            RolloutPlans.atRevision(r.getRevision(), decided.get().edit().get()));
                    d = d.toBuilder().setWrittenRevision(after.getRevision()).build();
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // someone else wrote meanwhile (their edit wins) or the edit no longer fits: decide again next round
                    log.accept("rollout controller: " + d.getAction() + " of " + d.getCandidateVersion() + " not applied: " + e.getMessage());
                    continue;
                }
            }
            try {
                producer.send(new ProducerRecord<>(TopicCatalog.ROLLOUT_DECISIONS.name(), r.getModelName(), d)).get();
            } catch (ExecutionException e) {
                log.accept("rollout controller: decision on " + d.getCandidateVersion() + " not recorded: " + e.getCause());
                continue;
            }
            lastWritten.put(r.getModelName(), d);
            remember(d);
            if (d.getAction() != RolloutAction.ROLLOUT_ACTION_HOLD) {
                log.accept("rollout controller: " + d.getModelName() + " " + d.getCandidateVersion() + " step " + d.getStep()
                        + ": " + d.getAction() + ": " + d.getReason());
            }
            written.add(d);
        }
        return written;
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept("rollout controller round failed (next round retries): " + e);
        }
    }

    /** Decisions with nothing to apply are written again only when something about them changed, or evidence grew. */
    private static boolean same(RolloutDecision last, RolloutDecision d) {
        return last != null && last.getAction() == d.getAction() && last.getStep() == d.getStep()
                && last.getCandidateVersion().equals(d.getCandidateVersion())
                && last.getRolloutRevision() == d.getRolloutRevision()
                && Math.abs(d.getPlanPairs() - last.getPlanPairs()) < HOLD_EVERY_PAIRS;
    }

    private synchronized void remember(RolloutDecision d) {
        if (d == null) {
            return;
        }
        RolloutDecision last = lastByModel.get(d.getModelName());
        if (last != null && last.equals(d)) {
            return; // our own, seen again on the topic
        }
        if (last == null || last.getDecidedAtMs() <= d.getDecidedAtMs()) {
            lastByModel.put(d.getModelName(), d);
        }
        if (!recent.contains(d)) {
            recent.addLast(d);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
        if (!lastWritten.containsKey(d.getModelName())) {
            lastWritten.put(d.getModelName(), d); // a restarted leader does not repeat the last hold on record
        }
    }

    /** The most recent decisions on record, oldest first. */
    public synchronized List<RolloutDecision> recent() {
        return List.copyOf(recent);
    }

    /** The last decision per model name. */
    public Map<String, RolloutDecision> lastByModel() {
        return Map.copyOf(lastByModel);
    }

    @Override
    public void close() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
        leadership.close();
        decisionsFollower.close();
        producer.close(Duration.ofSeconds(5));
    }
}
