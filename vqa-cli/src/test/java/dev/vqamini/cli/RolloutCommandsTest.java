package dev.vqamini.cli;

import dev.vqamini.kafka.KafkaClientSettings;
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

    private static VideoCommandsTest.Run vqa(String... args) {
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
            VideoCommandsTest.Run p = vqa("publish", bundle(dir, v, v.hashCode()).toString());
            assertEquals(0, p.exit(), p.err());
            assertTrue(p.out().contains("published " + v), p.out());
        }
        assertEquals(1, vqa("rollout", "show").exit(), "no rollout yet");
        assertEquals(1, vqa("rollout", "canary", "tiny-b", "0.5").exit(), "canary before any stable version");
        assertEquals(0, vqa("rollout", "promote", "tiny-a").exit());
        assertEquals(0, vqa("rollout", "canary", "tiny-b", "0.25").exit());
        assertEquals(0, vqa("rollout", "canary", "tiny-c", "0.5").exit());

        VideoCommandsTest.Run refused = vqa("rollout", "canary", "tiny-b", "0.75");
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
}
