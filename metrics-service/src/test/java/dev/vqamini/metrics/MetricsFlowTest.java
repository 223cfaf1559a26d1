package dev.vqamini.metrics;

import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.kafka.KafkaClientSettings;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.stats.Agreement;
import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import io.restassured.path.json.config.JsonPathConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hamcrest.Matchers;

/**
 * metrics-service on the real broker: two versions' scores (one re-delivered twice), labels before and after their
 * scores, manifests on vqa.models and a 25 % canary; then /versions, /comparison, /scores and /q/metrics agree.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class MetricsFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @Test
    void versionsTableComparisonScoresAndPrometheusShowTheSameNumbers() throws Exception {
        ServiceContractTest.awaitReady().then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String stable = "stable-" + run;
        String candidate = "candidate-" + run;
        ModelPublisher.publish(KafkaClientSettings.plaintext(servers, "metrics-test"), "m-" + run, stable, bundle(stable, 9_904_546L, 26_190_000_000L));
        ModelPublisher.publish(KafkaClientSettings.plaintext(servers, "metrics-test"), "m-" + run, candidate, bundle(candidate, 1_689_450L, 4_860_000_000L));
        RolloutWriter rollouts = new RolloutWriter(KafkaClientSettings.plaintext(servers, "metrics-test"));
        rollouts.apply("m-" + run, RolloutEdits.promote(stable));
        rollouts.apply("m-" + run, RolloutEdits.canary(candidate, 0.25));

        int n = 40;
        double[][] fused = new double[2][n / 2];
        double[][] mos = new double[2][n / 2];
        SplittableRandom rnd = new SplittableRandom(7);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                int v = i % 2;
                String version = v == 0 ? stable : candidate;
                String id = run + "-video-" + i;
                double m = 1 + 4 * rnd.nextDouble();
                double f = v == 0 ? m / 5 + 0.3 * rnd.nextDouble() : m / 5 + 0.05 * rnd.nextDouble(); // candidate agrees better
                fused[v][i / 2] = f;
                mos[v][i / 2] = m;
                byte[] label = VideoLabel.newBuilder().setVideoId(id).setMos(m).build().toByteArray();
                if (i % 3 == 0) {
                    p.send(new ProducerRecord<>(TopicCatalog.LABELS.name(), id, label));
                }
                VideoScoreRecord s = VideoScoreRecord.newBuilder().setVideoId(id).setUploadId("u-" + id).setModelVersion(version)
                        .setFused(f).setTechnical(f).setAesthetic(f).setEndToEndMs(100 + i).setInferenceMs(40)
                        .setIngestTimeMs(System.currentTimeMillis() - 100 - i).setClips(4).build();
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id, s.toByteArray()));
                if (i % 10 == 0) { // re-delivered after a scorer crash: counted once
                    p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id, s.toBuilder().setFused(0.99).build().toByteArray()));
                }
                if (i % 3 != 0) {
                    p.send(new ProducerRecord<>(TopicCatalog.LABELS.name(), id, label));
                }
            }
        }
        JsonPath table = null;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            table = given().get("/versions").jsonPath().using(new JsonPathConfig(
                    JsonPathConfig.NumberReturnType.DOUBLE));
            Integer a = table.get("find { it.model_version == '" + stable + "' }.labelled");
            Integer b = table.get("find { it.model_version == '" + candidate + "' }.labelled");
            if (a != null && b != null && a == n / 2 && b == n / 2) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotNull(table);
        for (int v = 0; v < 2; v++) {
            String version = v == 0 ? stable : candidate;
            String row = "find { it.model_version == '" + version + "' }.";
            Agreement expected = Agreement.of(fused[v], mos[v]);
            assertEquals(n / 2, (int) table.getInt(row + "videos"), version);
            assertEquals(n / 2, (int) table.getInt(row + "labelled"), version);
            assertEquals(expected.srcc(), table.getDouble(row + "srcc"), 1e-9, version);
            assertEquals(expected.plcc(), table.getDouble(row + "plcc"), 1e-6, version);
            assertEquals(expected.krcc(), table.getDouble(row + "krcc"), 1e-9, version);
            assertTrue(table.getDouble(row + "p99_e2e_s") >= table.getDouble(row + "p50_e2e_s"));
            assertEquals(v == 0 ? 9_904_546L : 1_689_450L, table.getLong(row + "parameters"));
            // a 25 % canary: the candidate's weight, the stable version the rest
            assertEquals(v == 0 ? 0.75 : 0.25, table.getDouble(row + "traffic_weight"), 1e-9, version);
            assertEquals(v == 0 ? "stable" : "candidate", table.getString(row + "role"), version);
            assertEquals(2, table.getList(row + "srcc_ci").size());
        }
        given().get("/comparison").then().statusCode(200).body("find { it.candidate == '" + candidate + "' }.stable",
                Matchers.is(stable));
        String id0 = run + "-video-0";
        given().get("/scores/" + id0).then().statusCode(200).body("model_version", Matchers.is(stable))
                .body("upload_id", Matchers.is("u-" + id0));
        given().get("/scores/never-scored-" + run).then().statusCode(404);

        double srcc = table.getDouble("find { it.model_version == '" + candidate + "' }.srcc");
        String metrics = "";
        String line = "";
        for (int i = 0; i < 60; i++) { // the gauges follow the table at every vqa.metrics.refresh
            metrics = given().accept("text/plain").get("/q/metrics").asString();
            line = metrics.lines().filter(l -> l.startsWith("vqa_quality_srcc{") && l.contains("\"" + candidate + "\""))
                    .findFirst().orElse("");
            if (!line.isEmpty() && Math.abs(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) - srcc) < 1e-9) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(srcc, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), 1e-9, line);
        assertTrue(metrics.contains("vqa_video_end_to_end_seconds_bucket"), "latency histogram");
        assertTrue(metrics.contains("vqa_version_parameters{model_version=\"" + candidate + "\""), "cost");
        // the comparison's gauges appear at the first refresh that knows the rollout (it may come after the table's)
        for (int i = 0; i < 60 && !metrics.contains("vqa_comparison_verdict"); i++) {
            Thread.sleep(500);
            metrics = given().accept("text/plain").get("/q/metrics").asString();
        }
        given().accept("text/plain").get("/q/metrics").then().body(containsString("vqa_comparison_verdict"));
    }

    /** A bundle archive as vqa.models carries it; only its manifest matters here. */
    static byte[] bundle(String version, long parameters, long flops) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            // a manifest as the release module writes it (architecture and files left out: metrics reads cost only)
            zip.write(new ModelManifest(ModelManifest.FORMAT_VERSION, "m", version, null, "test", "2026-12-02T00:00:00Z", null,
                    parameters, parameters, flops, null, Map.of(), null, Map.of(), null).toJson());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("technical.onnx"));
            zip.write(new byte[1000]);
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
