package dev.vqamini.quality.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.testkit.SharedKafkaBroker;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller on a real broker: the one elected by its group acts, its edits and decisions land on
 * vqa.rollouts and vqa.rollout-decisions, and a controller stopped mid-rollout is replaced by one that resumes at
 * the same step from Kafka alone.
 */
class RolloutControllerLoopTest {

    private static KafkaClientSettings kafka;

    @BeforeAll
    static void catalog() {
        kafka = KafkaClientSettings.plaintext(SharedKafkaBroker.get().bootstrapServers(), "controller-test");
        TopicBootstrap.ensureCatalog(kafka, Duration.ofSeconds(30), (short) 1);
    }

    @Test
    void aControllerStoppedMidRolloutIsReplacedByOneThatResumesAtTheSameStep() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String model = "model-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        publish(model, stable, candidate);
        RolloutWriter writer = new RolloutWriter(kafka);
        writer.apply(model, RolloutEdits.promote(stable));
        AtomicLong clock = new AtomicLong(1_000_000);
        writer.apply(model, RolloutPlans.plan(candidate, List.of(0.05, 0.25, 0.5, 1.0), 20, 10, RolloutControllerTest.AGREEMENT_ONLY, 0.2, clock.get()));
        // the evidence a metrics-service would see: enough agreeing pairs, or (pairs = 5) too few for the step
        AtomicInteger pairs = new AtomicInteger(20);
        RolloutControllerLoop.EvidenceSource evidence = (rollout, now) -> RolloutEvidence.paired(
                RolloutControllerTest.bivariate(1.0, 40, 1), pairs.get(), (now - rollout.getPlan().getStepStartedAtMs()) / 1000);
        String group = "controller-test-" + run;
        List<String> log = new ArrayList<>();

        RolloutControllerLoop first = loop(group, evidence, clock, log);
        try {
            await(first::leader, "the only member leads");
            clock.addAndGet(11_000);
            List<RolloutDecision> made = decisionsOf(first.tick(), model);
            assertEquals(List.of(RolloutAction.ROLLOUT_ACTION_STEP_UP), made.stream().map(RolloutDecision::getAction).toList());
            assertEquals(1, writer.current(model).orElseThrow().getPlan().getCurrentStep());
            assertEquals(0.25, RolloutPlans.weightOf(writer.current(model).orElseThrow(), candidate), 0);
        } finally {
            first.close(); // killed mid-rollout, at step 1
        }

        pairs.set(5); // the new step has little evidence yet
        RolloutControllerLoop second = loop(group, evidence, clock, log);
        try {
            await(second::leader, "the restarted member leads");
            clock.addAndGet(11_000);
            List<RolloutDecision> resumed = decisionsOf(second.tick(), model);
            assertEquals(1, resumed.size());
            assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, resumed.get(0).getAction(), resumed.get(0).getReason());
            assertEquals(1, resumed.get(0).getStep(), "resumed at the step the first controller left it");
            assertEquals(0.25, resumed.get(0).getTrafficWeight(), 0);
            assertTrue(decisionsOf(second.tick(), model).isEmpty(), "a hold is on record once, not at every round");

            pairs.set(20);
            List<RolloutDecision> next = decisionsOf(second.tick(), model);
            assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, next.get(0).getAction());
            assertEquals(1, next.get(0).getStep());
            Rollout now = writer.current(model).orElseThrow();
            assertEquals(2, now.getPlan().getCurrentStep());
            assertEquals(next.get(0).getWrittenRevision(), now.getRevision());
            await(() -> second.lastByModel().containsKey(model)
                    && second.lastByModel().get(model).getAction() == RolloutAction.ROLLOUT_ACTION_STEP_UP, "decisions are followed from the topic");
            System.out.printf("controller restarted at step %d (weight %.2f), then stepped up to step %d; decisions on record: %d%n",
                    resumed.get(0).getStep(), resumed.get(0).getTrafficWeight(), now.getPlan().getCurrentStep(),
                    second.recent().stream().filter(d -> d.getModelName().equals(model)).count());
        } finally {
            second.close();
        }
    }

    @Test
    void ofTwoControllersOnlyTheElectedOneActs() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String model = "model-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        publish(model, stable, candidate);
        RolloutWriter writer = new RolloutWriter(kafka);
        writer.apply(model, RolloutEdits.promote(stable));
        AtomicLong clock = new AtomicLong(1_000_000);
        writer.apply(model, RolloutPlans.plan(candidate, List.of(0.05, 1.0), 0, 0, RolloutControllerTest.AGREEMENT_ONLY, 0.2, clock.get()));
        RolloutControllerLoop.EvidenceSource evidence = (rollout, now) -> RolloutEvidence.paired(
                RolloutControllerTest.bivariate(1.0, 40, 1), 20, 100);
        String group = "controller-test-" + run;
        List<String> log = new ArrayList<>();
        try (RolloutControllerLoop a = loop(group, evidence, clock, log); RolloutControllerLoop b = loop(group, evidence, clock, log)) {
            await(() -> a.leader() || b.leader(), "one of them leads");
            // The second member's join may still move leadership (a rebalance on a slow machine): act through
            // whichever leads at that moment, and never see both lead.
            List<RolloutDecision> acted = List.of();
            for (int attempt = 0; attempt < 100 && acted.isEmpty(); attempt++) {
                boolean aLeads = a.leader();
                boolean bLeads = b.leader();
                assertTrue(!(aLeads && bLeads), "never both");
                if (aLeads || bLeads) {
                    RolloutControllerLoop follower = aLeads ? b : a;
                    RolloutControllerLoop leader = aLeads ? a : b;
                    if (!follower.leader()) {
                        assertTrue(follower.tick().isEmpty(), "the other one does nothing");
                    }
                    acted = decisionsOf(leader.tick(), model);
                }
                if (acted.isEmpty()) {
                    assertEquals(0, writer.current(model).orElseThrow().getPlan().getCurrentStep(), "stepped without a leader");
                    Thread.sleep(200);
                }
            }
            assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, acted.get(0).getAction());
            assertEquals(1, writer.current(model).orElseThrow().getPlan().getCurrentStep());
        }
    }

    private static RolloutControllerLoop loop(String group, RolloutControllerLoop.EvidenceSource evidence, AtomicLong clock,
                                              List<String> log) {
        return new RolloutControllerLoop(kafka, group, Duration.ZERO, Duration.ofSeconds(6), evidence, clock::get,
                m -> {
                    synchronized (log) {
                        log.add(m);
                    }
                }).start();
    }

    private static List<RolloutDecision> decisionsOf(List<RolloutDecision> all, String model) {
        return all.stream().filter(d -> d.getModelName().equals(model)).toList();
    }

    /** Minimal one-chunk versions on vqa.models, enough for RolloutWriter's check that versions are published. */
    private static void publish(String model, String... versions) throws Exception {
        try (KafkaProducer<String, ModelChunk> p = new KafkaProducer<>(kafka.producer("test"), new StringSerializer(),
                WireSerdes.models().serializer())) {
            for (String v : versions) {
                p.send(new ProducerRecord<>(TopicCatalog.MODELS.name(), TopicCatalog.modelChunkKey(v, 0),
                        ModelChunk.newBuilder().setModelName(model).setModelVersion(v).setChunkIndex(0).setChunkCount(1).build())).get();
            }
        }
    }

    /** Waits for a condition the broker makes true (group assignment); fails after a minute. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(100);
        }
    }
}
