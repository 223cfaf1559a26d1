package dev.vqamini.metrics;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireSerdes;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.ViewKind;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Clip scores produced to the real broker show up in the Streams store behind GET /clip-counts. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ClipCountEndToEndTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void countsWhatWasProduced() throws Exception {
        String version = "e2e-" + UUID.randomUUID();
        try (KafkaProducer<String, ClipScore> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), WireSerdes.clipScores().serializer())) {
            for (int i = 0; i < 3; i++) {
                ClipScore score = ClipScore.newBuilder().setVideoId("vid-" + i).setModelVersion(version)
                        .setView(ViewKind.VIEW_KIND_AESTHETIC).setClipCount(1).setRawScore(0.1 * i).build();
                producer.send(new ProducerRecord<>(TopicCatalog.CLIP_SCORES.name(), "vid-" + i, score))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Number count = null;
        while (System.nanoTime() < deadline) {
            var response = given().when().get("/clip-counts");
            if (response.statusCode() == 200) {
                count = response.jsonPath().get("'" + version + "'");
                if (count != null && count.longValue() == 3) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        assertEquals(3L, count == null ? null : count.longValue(), "clip scores counted for " + version);
    }
}
