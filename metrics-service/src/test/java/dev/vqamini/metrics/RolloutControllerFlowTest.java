package dev.vqamini.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.VideoScoreRecord;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * metrics-service's rollout controller on the real broker, fed the way scorers feed it: the serving version's real
 * score of each video on vqa.video-scores and, for the shadow share, the other version's score marked shadow. No
 * labels at all. A candidate equal to stable walks every step to stable on label-free agreement; a scrambled one is
 * rolled back at its shadow-only first step, within that step's minimum videos, while the stable version serves every
 * video.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class RolloutControllerFlowTest {

    /** Cost gates off: these scores carry made-up latencies; RolloutControllerTest covers the cost gates. */
    private static final RolloutGates GATES = RolloutPlans.DEFAULT_GATES.toBuilder().setMaxP99LatencyIncrease(0)
            .setMaxThroughputDecrease(0).build();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @Test
    void anEqualCandidateIsPromotedThroughEveryStepWithoutLabels() throws Exception {
        ServiceContractTest.awaitReady().then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String model = "equal-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        RolloutWriter rollouts = setUp(model, stable, candidate);
        rollouts.apply(model, RolloutPlans.plan(candidate, List.of(0.05, 0.5, 1.0), 12, 0, GATES, 0.2, System.currentTimeMillis()));

        SplittableRandom random = new SplittableRandom(3);
        int videos = walk(rollouts, model, stable, candidate, random, x -> x, 300);
        Rollout done = rollouts.current(model).orElseThrow();
        assertEquals(PlanState.PLAN_STATE_PROMOTED, done.getPlan().getState(), done.getPlan().getReason());
        assertEquals(candidate, done.getStableVersion());
        assertEquals(0, done.getCandidatesCount());

        JsonPath decisions = awaitDecisions(model, 3);
        List<String> actions = decisions.getList("findAll { it.action != 'hold' }.action");
        assertEquals(List.of("step_up", "step_up", "promote"), actions);
        List<Integer> steps = decisions.getList("findAll { it.action != 'hold' }.step");
        assertEquals(List.of(0, 1, 2), steps);
        for (Map<String, Object> d : decisions.<Map<String, Object>>getList("findAll { it.action != 'hold' }")) {
            List<Map<String, Object>> gates = (List<Map<String, Object>>) d.get("gates");
            assertEquals("pass", gates.get(0).get("outcome"), d.toString());
            assertEquals("skipped", gates.get(1).get("outcome"), "no labels: " + d);
        }
        List<Integer> stepPairs = decisions.getList("findAll { it.action != 'hold' }.step_pairs");
        assertTrue(stepPairs.stream().allMatch(n -> n >= 12), "every step had its minimum: " + stepPairs);
        Map<String, Object> agreement = ((List<Map<String, Object>>) decisions.getMap("find { it.action == 'promote' }").get("gates")).get(0);
        assertTrue(((Number) agreement.get("evidence")).doubleValue() <= 0.05, "passed at likelihood ratio <= beta: " + agreement);
        assertTrue(agreement.get("pass_at") != null && agreement.get("fail_at") != null, "boundaries on record: " + agreement);
        System.out.println("equal candidate after " + videos + " videos: " + decisions.getList("findAll { it.action != 'hold' }.reason"));
        // the paired evidence is served and exported too
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        assertTrue(given().get("/rollouts").asString().contains("\"promoted\""));
        for (int i = 0; i < 60 && !metrics.contains("vqa_comparison_paired_agreement_srcc"); i++) {
            Thread.sleep(500);
            metrics = given().accept("text/plain").get("/q/metrics").asString();
        }
        assertTrue(metrics.contains("vqa_rollout_controller_leader 1.0"), "this instance acts");
    }

    /**
     * The plan a new user tried: a candidate equal to stable within 1e-6 noise, 6 videos and 10 s a step. It used to
     * pause at step 0 after 6 pairs, "inconclusive", for an operator; now it keeps gathering evidence past the minimum
     * and is promoted without one.
     */
    @Test
    void aNearEqualCandidatePlannedWithSmallMinimumsIsPromotedWithoutAnOperator() throws Exception {
        ServiceContractTest.awaitReady().then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String model = "near-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        RolloutWriter rollouts = setUp(model, stable, candidate);
        rollouts.apply(model, RolloutPlans.plan(candidate, List.of(0.1, 0.5, 1.0), 6, 10, RolloutPlans.DEFAULT_GATES, 0.2,
                System.currentTimeMillis()));
        SplittableRandom random = new SplittableRandom(7);
        SplittableRandom noise = new SplittableRandom(8);
        int videos = walk(rollouts, model, stable, candidate, random, x -> x + 1e-6 * noise.nextGaussian(), 400);
        Rollout done = rollouts.current(model).orElseThrow();
        assertEquals(PlanState.PLAN_STATE_PROMOTED, done.getPlan().getState(), done.getPlan().getReason());
        JsonPath decisions = awaitDecisions(model, 3);
        assertEquals(List.of("step_up", "step_up", "promote"), decisions.getList("findAll { it.action != 'hold' }.action"));
        assertTrue(decisions.getList("findAll { it.action == 'pause' }").isEmpty(), "never paused for an operator");
        int firstStep = decisions.<Integer>getList("findAll { it.action != 'hold' }.step_pairs").get(0);
        assertTrue(firstStep > 6, "held past the step's minimum of 6 until the evidence sufficed: " + firstStep);
        System.out.printf("near-equal candidate promoted after %d videos, %d pairs in its first step: %s%n", videos, firstStep,
                decisions.getList("findAll { it.action != 'hold' }.reason"));
    }

    @Test
    void aScrambledCandidateIsRolledBackAtItsFirstStepWithinItsMinimumVideos() throws Exception {
        ServiceContractTest.awaitReady().then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String model = "scrambled-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        RolloutWriter rollouts = setUp(model, stable, candidate);
        int minVideos = 50;
        rollouts.apply(model, RolloutPlans.plan(candidate, List.of(0.0, 0.05, 0.5, 1.0), minVideos, 0, GATES, 0.5,
                System.currentTimeMillis()));
        SplittableRandom random = new SplittableRandom(5);
        SplittableRandom scramble = new SplittableRandom(11);
        Rollout r = rollouts.current(model).orElseThrow();
        assertEquals(List.of(stable), RolloutEdits.versions(r), "step 0 is shadow only");
        int video = 0;
        while (video < minVideos && rollouts.current(model).orElseThrow().getPlan().getState() == PlanState.PLAN_STATE_ACTIVE) {
            video = pairs(model, r, stable, candidate, video, 5, random, x -> scramble.nextDouble());
            Thread.sleep(1500); // a round of the controller
        }
        await(rollouts, model, x -> x.getPlan().getState() != PlanState.PLAN_STATE_ACTIVE, "the scrambled candidate decided");
        Rollout done = rollouts.current(model).orElseThrow();
        assertEquals(PlanState.PLAN_STATE_ROLLED_BACK, done.getPlan().getState(), done.getPlan().getReason());
        assertEquals(List.of(stable), RolloutEdits.versions(done));
        assertEquals("", done.getShadowVersion());
        JsonPath decisions = awaitDecisions(model, 1);
        Map<String, Object> rollBack = decisions.getMap("find { it.action == 'roll_back' }");
        assertEquals(0, rollBack.get("step"));
        int pairs = (Integer) rollBack.get("step_pairs");
        assertTrue(pairs <= minVideos, "rolled back within the step's minimum: " + pairs);
        System.out.printf("scrambled candidate rolled back at step 0 after %d paired videos (minimum %d): %s%n", pairs, minVideos,
                rollBack.get("reason"));
        given().get("/comparison").then().statusCode(200);
    }

    private RolloutWriter setUp(String model, String stable, String candidate) throws Exception {
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(servers, "controller-flow-test");
        ModelPublisher.publish(kafka, model, stable, MetricsFlowTest.bundle(stable, 1_000, 1_000));
        ModelPublisher.publish(kafka, model, candidate, MetricsFlowTest.bundle(candidate, 1_000, 1_000));
        RolloutWriter rollouts = new RolloutWriter(kafka);
        rollouts.apply(model, RolloutEdits.promote(stable));
        return rollouts;
    }

    /**
     * Writes paired videos under the current rollout, a few at a time as uploads arrive, until the plan ends;
     * returns how many.
     */
    private int walk(RolloutWriter rollouts, String model, String stable, String candidate, SplittableRandom random,
                     DoubleUnaryOperator candidateOf, int maxVideos) throws InterruptedException {
        int video = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (rollouts.current(model).orElseThrow().getPlan().getState() == PlanState.PLAN_STATE_ACTIVE) {
            if (video >= maxVideos || System.nanoTime() > deadline) {
                throw new AssertionError("plan not ended after " + video + " videos: " + rollouts.current(model).orElseThrow()
                        + "; decisions " + given().get("/rollouts/decisions?model=" + model).asString());
            }
            video = pairs(model, rollouts.current(model).orElseThrow(), stable, candidate, video, 3, random, candidateOf);
            Thread.sleep(400);
        }
        return video;
    }

    /**
     * {@code count} videos as a scorer writes them under {@code r}: each one's real score by the version that serves it
     * and its shadow score by the other version; returns the next video number.
     */
    private int pairs(String model, Rollout r, String stable, String candidate, int from, int count, SplittableRandom random,
                      DoubleUnaryOperator candidateOf) {
        double weight = RolloutPlans.weightOf(r, candidate);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = from; i < from + count; i++) {
                String id = model + "-video-" + i;
                double s = random.nextDouble();
                double c = candidateOf.applyAsDouble(s);
                boolean candidateServes = random.nextDouble() < weight;
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id,
                        score(id, candidateServes ? candidate : stable, candidateServes ? c : s, false).toByteArray()));
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id,
                        score(id, candidateServes ? stable : candidate, candidateServes ? s : c, true).toByteArray()));
            }
        }
        return from + count;
    }

    private static VideoScoreRecord score(String id, String version, double fused, boolean shadow) {
        long now = System.currentTimeMillis();
        return VideoScoreRecord.newBuilder().setVideoId(id).setUploadId("u-" + id).setModelVersion(version).setFused(fused)
                .setTechnical(fused).setAesthetic(fused).setEndToEndMs(100).setInferenceMs(40).setIngestTimeMs(now - 99)
                .setClips(4).setShadow(shadow).build();
    }

    private static void await(RolloutWriter rollouts, String model, Predicate<Rollout> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.test(rollouts.current(model).orElseThrow())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what + "; rollout now " + rollouts.current(model).orElseThrow()
                        + "; decisions " + given().get("/rollouts/decisions?model=" + model).asString());
            }
            Thread.sleep(300);
        }
    }

    private static JsonPath awaitDecisions(String model, int atLeast) throws InterruptedException {
        JsonPath decisions = null;
        for (int i = 0; i < 120; i++) {
            decisions = given().get("/rollouts/decisions?model=" + model).jsonPath();
            if (decisions.getList("findAll { it.action != 'hold' }").size() >= atLeast) {
                break;
            }
            Thread.sleep(250);
        }
        return decisions;
    }
}
