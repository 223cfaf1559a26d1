package dev.vqamini.cli;

import dev.vqamini.testkit.CapturedRun;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.serde.WireSerdes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.kafka.TopicBootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.GateOutcome;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import java.util.Arrays;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** vqa publish and vqa rollout against a real broker: versions go on vqa.models, rollouts are edited in place. */
class RolloutCommandsTest {

    static LocalKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = LocalKafkaBroker.startEphemeral();
        TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(broker.bootstrapServers(), "test"), Duration.ofSeconds(30), (short) 1);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static CapturedRun vqa(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--kafka";
        all[args.length + 1] = broker.bootstrapServers();
        return VideoCommandsTest.run(all);
    }

    private static Path bundle(Path dir, String version, int seed) throws Exception {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        ModelDefinition def = new ModelDefinition("dover-mobile", version, spec, RandomWeights.generate(spec, seed),
                FusionConstants.PUBLISHED, Map.of());
        Path out = dir.resolve(version);
        ModelBundle.write(def, out);
        return out;
    }

    @Test
    void publishPromoteCanaryShowAndRollBack(@TempDir Path dir) throws Exception {
        for (String v : new String[] {"tiny-a", "tiny-b", "tiny-c"}) {
            CapturedRun p = vqa("publish", bundle(dir, v, v.hashCode()).toString());
            assertEquals(0, p.exit(), p.err());
            assertTrue(p.out().contains("published " + v), p.out());
        }
        assertEquals(1, vqa("rollout", "show").exit(), "no rollout yet");
        assertEquals(1, vqa("rollout", "canary", "tiny-b", "0.5").exit(), "canary before any stable version");
        assertEquals(0, vqa("rollout", "promote", "tiny-a").exit());
        assertEquals(0, vqa("rollout", "canary", "tiny-b", "0.25").exit());
        assertEquals(0, vqa("rollout", "canary", "tiny-c", "0.5").exit());

        CapturedRun refused = vqa("rollout", "canary", "tiny-b", "0.75");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("sum to 1.2500, more than 1"), refused.err());
        assertTrue(vqa("rollout", "canary", "not-published", "0.1").err().contains("not-published is not on vqa.models"));

        JsonNode shown = new ObjectMapper().readTree(vqa("rollout", "show", "--json").out());
        assertEquals("tiny-a", shown.get("stable").asText());
        assertEquals(2, shown.get("candidates").size(), shown.toString());
        assertEquals("tiny-b", shown.get("candidates").get(0).get("version").asText());
        assertEquals(0.25, shown.get("candidates").get(0).get("weight").asDouble());
        assertEquals("tiny-c", shown.get("candidates").get(1).get("version").asText());
        assertEquals(3, shown.get("revision").asInt());

        assertEquals(0, vqa("rollout", "promote", "tiny-c").exit());
        assertEquals(0, vqa("rollout", "rollback").exit());
        assertEquals(0, vqa("rollout", "rollback").exit());
        JsonNode back = new ObjectMapper().readTree(vqa("rollout", "show", "--json").out());
        assertEquals("tiny-a", back.get("stable").asText(), back.toString());
        assertEquals(0, back.get("candidates").size());
    }

    /** A plan, the controller's decision as show prints it, pause, a hand edit, resume and abort. */
    @Test
    void planPauseResumeAbortAndShowTheLastDecision(@TempDir Path dir) throws Exception {
        for (String v : new String[] {"tiny-p", "tiny-q"}) {
            assertEquals(0, vqa("publish", bundle(dir, v, v.hashCode()).toString()).exit());
        }
        String[] model = {"--model", "planned"};
        assertEquals(0, vqa(cat(new String[] {"rollout", "promote", "tiny-p"}, model)).exit());
        CapturedRun badSteps = vqa(cat(new String[] {"rollout", "plan", "tiny-q", "--steps", "50,25"}, model));
        assertEquals(1, badSteps.exit());
        assertTrue(badSteps.err().contains("steps must increase"), badSteps.err());
        CapturedRun planned = vqa(cat(new String[] {"rollout", "plan", "tiny-q", "--steps", "5,25,50,100",
                "--min-videos", "40", "--min-seconds", "60", "--min-agreement", "0.95"}, model));
        assertEquals(0, planned.exit(), planned.err());

        // what metrics-service's controller would write after its first round
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(broker.bootstrapServers(), "test");
        try (var producer = new KafkaProducer<>(kafka.producer("test"),
                new StringSerializer(), WireSerdes.rolloutDecisions().serializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.ROLLOUT_DECISIONS.name(), "planned",
                    RolloutDecision.newBuilder().setModelName("planned").setCandidateVersion("tiny-q")
                            .setStableVersion("tiny-p").setStep(0).setTrafficWeight(0.05)
                            .setAction(RolloutAction.ROLLOUT_ACTION_HOLD).setReason("step 0: 12 of 40 paired videos")
                            .addGates(GateValue.newBuilder().setName("agreement_srcc").setValue(0.99)
                                    .setOutcome(GateOutcome.GATE_OUTCOME_PASS).setThreshold(0.95).setN(12)
                                    .setLow(Double.NaN).setHigh(Double.NaN))
                            .build())).get();
        }
        JsonNode shown = new ObjectMapper().readTree(vqa(cat(new String[] {"rollout", "show", "--json"}, model)).out());
        assertEquals(0.05, shown.get("candidates").get(0).get("weight").asDouble(), shown.toString());
        assertEquals("tiny-q", shown.get("shadow").asText(), "the candidate shadow-scores the stable version's videos");
        JsonNode plan = shown.get("plan");
        assertEquals("active", plan.get("state").asText());
        assertEquals(0, plan.get("current_step").asInt());
        assertEquals(4, plan.get("steps").size());
        assertEquals(1.0, plan.get("steps").get(3).asDouble());
        assertEquals(40, plan.get("min_videos").asInt());
        assertEquals(0.95, plan.get("gates").get("min_agreement_srcc").asDouble());
        assertEquals("hold", shown.get("last_decision").get("action").asText());
        assertEquals("pass", shown.get("last_decision").get("gates").get(0).get("outcome").asText());
        CapturedRun text = vqa(cat(new String[] {"rollout", "show"}, model));
        assertTrue(text.out().contains("plan for tiny-q: active, step 0 of 5 -> 25 -> 50 -> 100 %"), text.out());
        assertTrue(text.out().contains("last decision: hold tiny-q at step 0"), text.out());

        assertEquals(0, vqa(cat(new String[] {"rollout", "pause", "tiny-q"}, model)).exit());
        assertEquals("paused", new ObjectMapper().readTree(vqa(cat(new String[] {"rollout", "show", "--json"}, model)).out())
                .get("plan").get("state").asText());
        assertEquals(0, vqa(cat(new String[] {"rollout", "canary", "tiny-q", "0.3"}, model)).exit(), "a hand edit");
        assertEquals(0, vqa(cat(new String[] {"rollout", "resume", "tiny-q"}, model)).exit());
        JsonNode resumed = new ObjectMapper().readTree(vqa(cat(new String[] {"rollout", "show", "--json"}, model)).out());
        assertEquals("active", resumed.get("plan").get("state").asText());
        assertEquals(0.05, resumed.get("candidates").get(0).get("weight").asDouble(), "back to the step's weight");

        assertEquals(0, vqa(cat(new String[] {"rollout", "abort", "tiny-q"}, model)).exit());
        JsonNode aborted = new ObjectMapper().readTree(vqa(cat(new String[] {"rollout", "show", "--json"}, model)).out());
        assertEquals("aborted", aborted.get("plan").get("state").asText());
        assertEquals(0, aborted.get("candidates").size());
        assertEquals("", aborted.get("shadow").asText());
        CapturedRun again = vqa(cat(new String[] {"rollout", "resume", "tiny-q"}, model));
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("has ended (aborted)"), again.err());
    }

    private static String[] cat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
