package dev.vqamini.scorer;

import dev.vqamini.kafka.KafkaClientSettings;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code vqa.scorer.provider=cuda} on a machine where CUDA is unusable (the CPU build of ONNX Runtime): the version is
 * refused with check {@code device} and dead-lettered, and the scorer stays not ready instead of serving on CPU.
 */
@QuarkusTest
@TestProfile(CudaRequiredTest.CudaProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class CudaRequiredTest {

    /** The tiny scorer, told that models must run on CUDA. */
    public static class CudaProfile extends TinyScorerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("vqa.scorer.provider", "cuda");
            return m;
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @Test
    void aVersionThatComesUpOnCpuIsRefusedAndTheScorerStaysNotReady() throws Exception {
        String version = "tiny-needs-cuda";
        ScorerFixtures.publish(servers, version, 3);
        new RolloutWriter(KafkaClientSettings.plaintext(servers, "cuda-test")).apply(ScorerFixtures.MODEL, RolloutEdits.promote(version));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath models;
        do {
            Thread.sleep(300);
            models = given().get("/models").jsonPath();
            assertTrue(System.nanoTime() < deadline, "not refused: " + models.prettify());
        } while (!"refused".equals(models.getString("waiting.'" + version + "'")));
        assertEquals(List.of(), models.getList("serving"));
        given().get("/q/health/ready").then().statusCode(503);
        List<DeadLetter> refusals = new ArrayList<>();
        KafkaClientSettings.plaintext(servers, "cuda-test").topicReader("test").readToEnd(TopicCatalog.DLQ.name(), WireSerdes.deadLetters().deserializer(), (k, d) -> {
            if (d.getStage().equals("scorer-model") && k.equals(version)) {
                refusals.add(d);
            }
        });
        assertEquals(1, refusals.size(), "one dead letter for the refusal");
        assertEquals("device", refusals.get(0).getErrorType());
        assertTrue(refusals.get(0).getReason().contains("vqa.scorer.provider=cuda but the model runs on CPU"), refusals.get(0).getReason());
    }
}
