package dev.vqamini.pruning;

import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.kafka.KafkaClientSettings;
import com.google.protobuf.ByteString;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.clips.View;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.VideoLabel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import org.hamcrest.Matchers;

/**
 * A pruning job end to end against a real broker: calibration sampled off vqa.fragments and vqa.labels (one
 * corrupt record skipped), the job followed over REST, and its bundle read back off vqa.models and loaded, with
 * the canary on vqa.rollouts. A tiny parent model keeps it to seconds.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class PruneJobFlowTest {

    static final String MODEL = "dover-mobile";
    static final String PARENT_VERSION = "tiny-flow-v1";
    static final int VIDEOS = 14;
    static final int T = 4;
    static final int H = 64;
    static final int W = 64;
    static final int CLIP_BYTES = 3 * T * H * W;
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static Path parentBundle;

    /** The tiny parent bundle, written once per JVM: 8/16/24/32 wide, random heads. */
    static synchronized Path parentBundle() throws IOException {
        if (parentBundle == null) {
            BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
            ModelSpec spec = new ModelSpec(b, b);
            ModelDefinition def = new ModelDefinition(MODEL, PARENT_VERSION, spec, RandomWeights.generate(spec, 11),
                    FusionConstants.PUBLISHED, Map.of("heads", "random"));
            Path dir = Files.createTempDirectory("prune-flow-parent");
            ModelBundle.write(def, dir);
            parentBundle = dir;
        }
        return parentBundle;
    }

    @Test
    void prunesFromTopicSampleAndPublishesALoadableBundleWithCanary() throws Exception {
        awaitReady();
        Path parentDir = parentBundle();
        long parentParams = ModelComplexity.of(ModelBundle.read(parentDir).definition().spec(), 32, 224, 224).parameters();
        ensureCalibration();

        String body = """
                {"recipe":"layer-specific+channel","targetParams":0.5,"targetFlops":0.6,"weights":"%s",
                 "fragmentSample":%d,"canaryWeight":0.1}""".formatted(json(parentDir.toString()), VIDEOS);
        Response submitted = given().contentType(ContentType.JSON).body(body).when().post("/prune-jobs");
        submitted.then().statusCode(202).header("Location", notNullValue())
                .body("id", notNullValue()).body("recipe", Matchers.is("layer-specific+channel"));
        String location = submitted.header("Location");
        String id = submitted.jsonPath().getString("id");
        assertTrue(location.endsWith("/prune-jobs/" + id), location);

        Set<String> progress = new LinkedHashSet<>();
        JsonPath done = await(location, progress);
        assertEquals("SUCCEEDED", done.getString("state"), () -> "job failed: " + done.getString("error") + "\n"
                + String.join("\n", progress));

        assertNull(done.get("error"), done.prettify());
        assertNotNull(done.getString("finishedAt"), done.prettify());
        String version = done.getString("version");
        assertNotNull(version);
        assertTrue(version.startsWith(PARENT_VERSION + "-layer-specific-channel-"), version);
        int chunks = done.getInt("chunksPublished");
        assertTrue(chunks >= 1, "chunks " + chunks);
        assertTrue(done.getBoolean("rolloutPublished"));
        double paramsRatio = done.getDouble("report.costs.parametersPresent")
                / done.getDouble("report.parentCosts.parametersPresent");
        double flopsRatio = done.getDouble("report.costs.flopsPerClip") / done.getDouble("report.parentCosts.flopsPerClip");
        assertTrue(paramsRatio <= 0.5 + 1e-9, "params ratio " + paramsRatio);
        assertTrue(flopsRatio <= 0.6 + 1e-9, "flops ratio " + flopsRatio);
        assertEquals(VIDEOS, done.getInt("report.calibrationVideos") + done.getInt("report.heldOutVideos"));
        assertEquals("teacher", done.getString("report.refitTarget"));

        String all = String.join("\n", progress);
        assertTrue(progress.contains("read " + VIDEOS + " labels from " + TopicCatalog.LABELS.name()), all);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("skipped unreadable record " + TopicCatalog.FRAGMENTS.name())),
                all);
        assertTrue(progress.contains("sampled " + VIDEOS + " complete videos from " + TopicCatalog.FRAGMENTS.name()), all);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("calibration: ") && l.endsWith("labelled")), all);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("refitting heads on the unpruned model's head maps")), all);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("published " + version + " on " + TopicCatalog.MODELS.name()
                + ": " + chunks + " chunks")), all);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("canary: 0.1 of " + MODEL + " traffic to " + version)), all);

        // What a scorer does: gather the version's chunks off vqa.models, check and join them, load the bundle.
        List<ModelChunk> received = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(TopicCatalog.MODELS.name())) {
            ModelChunk c = ModelChunk.parseFrom(r.value());
            if (c.getModelVersion().equals(version)) {
                assertEquals(TopicCatalog.modelChunkKey(version, c.getChunkIndex()), r.key());
                received.add(c);
            }
        }
        assertEquals(chunks, received.size());
        assertTrue(received.stream().allMatch(c -> c.getModelName().equals(MODEL)));
        // The serving bundle: manifest and graphs, checked against the manifest's sha256; no weights travel.
        ServingBundle bundle = ServingBundle.read(BundleChunks.join(received));
        assertEquals(version, bundle.manifest().version());
        assertEquals(MODEL, bundle.manifest().name());
        assertEquals("layer-specific+channel", bundle.manifest().provenance().recipe());
        assertEquals(PARENT_VERSION, bundle.manifest().provenance().parentVersion());
        assertFalse(bundle.manifest().provenance().history().isEmpty(), "the pruning history travels as data");
        long prunedParams = ModelComplexity.of(bundle.manifest().architecture(), 32, 224, 224).parameters();
        assertTrue(prunedParams < parentParams, prunedParams + " >= " + parentParams);
        assertTrue(prunedParams <= 0.5 * parentParams, prunedParams + " > half of " + parentParams);

        // The canary: the new version at 0.1 beside the parent, which the job published as the stable version.
        Rollout rollout = currentRollout();
        assertEquals(MODEL, rollout.getModelName());
        assertEquals(PARENT_VERSION, rollout.getStableVersion(), "stable must be a version scorers have");
        assertEquals(List.of(version), rollout.getCandidatesList().stream().map(c -> c.getModelVersion()).toList());
        assertEquals(0.1, rollout.getCandidates(0).getTrafficWeight(), 1e-12);
        assertTrue(rollout.getUpdatedAtMs() > 0);
        assertEquals(PARENT_VERSION, loadFromTopic(PARENT_VERSION).manifest().version(), "stable loadable from vqa.models");

        // A second candidate is added beside the first, with a rollout plan: the rollout is edited, not overwritten.
        String second = given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"targetFlops":0.6,"weights":"%s","fragmentSample":%d,
                 "rolloutPlan":{"steps":[20,50,100],"minVideos":30}}"""
                .formatted(json(parentDir.toString()), VIDEOS)).when().post("/prune-jobs").header("Location");
        JsonPath secondDone = await(second, new LinkedHashSet<>());
        assertEquals("SUCCEEDED", secondDone.getString("state"), secondDone.prettify());
        Rollout both = currentRollout();
        assertEquals(PARENT_VERSION, both.getStableVersion());
        assertEquals(List.of(version, secondDone.getString("version")),
                both.getCandidatesList().stream().map(c -> c.getModelVersion()).toList());
        assertEquals(List.of(0.1, 0.2), both.getCandidatesList().stream().map(c -> c.getTrafficWeight()).toList());
        assertEquals(rollout.getRevision() + 1, both.getRevision());
        assertEquals(secondDone.getString("version"), both.getPlan().getCandidateVersion(), "the plan is the second's");
        assertEquals(List.of(0.2, 0.5, 1.0), both.getPlan().getStepsList());
        assertEquals(30, both.getPlan().getMinVideos());
        assertEquals(secondDone.getString("version"), both.getShadowVersion(), "it shadow-scores the stable version's videos");
    }

    private Rollout currentRollout() {
        return new RolloutWriter(KafkaClientSettings.plaintext(bootstrap, "flow-test")).current(MODEL).orElseThrow(() -> new AssertionError(
                "no rollout for " + MODEL + " on " + TopicCatalog.ROLLOUTS.name()));
    }

    /** What a scorer does: gather the version's chunks off vqa.models, check and join them, load the bundle. */
    private ServingBundle loadFromTopic(String version) throws Exception {
        List<ModelChunk> received = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(TopicCatalog.MODELS.name())) {
            ModelChunk c = ModelChunk.parseFrom(r.value());
            if (c.getModelVersion().equals(version)) {
                received.add(c);
            }
        }
        return ServingBundle.read(BundleChunks.join(received));
    }

    @Test
    void refusesInvalidRequestsAndFailsWithoutPublishing() throws Exception {
        awaitReady();
        Path parentDir = parentBundle();
        String weights = json(parentDir.toString());

        given().contentType(ContentType.JSON).body("""
                {"recipe":"no-such-recipe","targetParams":0.5,"weights":"%s"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("unknown recipe 'no-such-recipe'"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0,"weights":"%s"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("targets must be fractions in (0, 1]"));
        given().contentType(ContentType.JSON).body("""
                {"targetParams":0.5,"weights":"%s"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("recipe is required"));
        Path missing = parentDir.resolveSibling(parentDir.getFileName() + "-missing");
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s"}""".formatted(json(missing.toString())))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("weights " + missing + " do not exist"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s","canaryWeight":1.5}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("canaryWeight"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s","rolloutPlan":{"steps":[50,25]}}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("steps must increase"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s","fragmentSample":0}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("fragmentSample must be at least 1"));
        Path notATable = Files.writeString(Files.createTempFile("prune-flow-table", ".json"), "{\"header\": null, \"entries\": []}");
        given().contentType(ContentType.JSON).body("""
                {"recipe":"layer-specific+channel","targetLatency":0.5,"weights":"%s","latencyTable":"%s"}"""
                .formatted(weights, json(notATable.toString())))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("latencyTable: " + notATable + " is not a latency table"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"layer-specific+channel","targetParams":0.5,"weights":"%s","latencyTable":"%s"}"""
                .formatted(weights, json(notATable.toString())))
                .when().post("/prune-jobs").then().statusCode(400)
                .body("error", containsString("latencyTable is only used with targetLatency"));
        given().when().get("/prune-jobs/no-such-job").then().statusCode(404);
        // No server path outside vqa.prune.allowed-roots (java.io.tmpdir in tests): refused before anything is read.
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"/etc/passwd"}""")
                .when().post("/prune-jobs").then().statusCode(403)
                .body("error", containsString("weights: /etc/passwd is outside the allowed folders (vqa.prune.allowed-roots)"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s","calibrationDir":"../../"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(403)
                .body("error", containsString("calibrationDir: ../../ is outside the allowed folders"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"channel","targetParams":0.5,"weights":"%s","dataset":"../etc"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(403)
                .body("error", containsString("is not a dataset name"));
        given().contentType(ContentType.JSON).body("""
                {"recipe":"layer-specific+channel","targetLatency":0.5,"weights":"%s","latencyTable":"/etc/passwd"}""".formatted(weights))
                .when().post("/prune-jobs").then().statusCode(403)
                .body("error", containsString("latencyTable: /etc/passwd is outside the allowed folders"));

        // Valid requests that fail while running: nothing may reach vqa.models or vqa.rollouts.
        long modelsEnd = endOffset(TopicCatalog.MODELS.name());
        long rolloutsEnd = endOffset(TopicCatalog.ROLLOUTS.name());
        Path empty = Files.createTempDirectory("prune-flow-empty-calibration");
        for (String request : List.of(
                """
                {"recipe":"channel","targetParams":0.5,"weights":"%s","calibrationDir":"%s","canaryWeight":0.2}"""
                        .formatted(weights, json(empty.toString())),
                // Fewer videos than a job needs (5: 3 to fit, 2 held out), whatever the topic holds.
                """
                {"recipe":"channel","targetParams":0.5,"weights":"%s","fragmentSample":2,"canaryWeight":0.2}"""
                        .formatted(weights))) {
            Response submitted = given().contentType(ContentType.JSON).body(request).when().post("/prune-jobs");
            submitted.then().statusCode(202).header("Location", notNullValue());
            Set<String> progress = new LinkedHashSet<>();
            JsonPath done = await(submitted.header("Location"), progress);
            assertEquals("FAILED", done.getString("state"), done.prettify());
            String error = done.getString("error");
            assertNotNull(error, done.prettify());
            assertTrue(error.contains("calibration videos"), done.prettify());
            assertNotNull(done.getString("finishedAt"), "a finished job says when: " + done.prettify());
            assertNull(done.get("version"), done.prettify());
            assertNull(done.get("chunksPublished"), done.prettify());
            assertFalse(done.getBoolean("rolloutPublished"), done.prettify());
        }
        assertEquals(modelsEnd, endOffset(TopicCatalog.MODELS.name()), "a failed job published on vqa.models");
        assertEquals(rolloutsEnd, endOffset(TopicCatalog.ROLLOUTS.name()), "a failed job published on vqa.rollouts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unstructured", "structured", "channel", "layer-specific"})
    void everyOtherRecipeRunsAsAJobAndPublishesItsVersion(String recipe) throws Exception {
        awaitReady();
        Path parentDir = parentBundle();
        ensureCalibration();
        String body = """
                {"recipe":"%s","targetParams":0.5,"targetFlops":%s,"weights":"%s","fragmentSample":%d}"""
                .formatted(recipe, recipe.equals("unstructured") ? "1" : "0.6", json(parentDir.toString()), VIDEOS);
        Response submitted = given().contentType(ContentType.JSON).body(body).when().post("/prune-jobs");
        submitted.then().statusCode(202);
        Set<String> progress = new LinkedHashSet<>();
        JsonPath done = await(submitted.header("Location"), progress);
        assertEquals("SUCCEEDED", done.getString("state"), () -> "job failed: " + done.getString("error") + "\n"
                + String.join("\n", progress));
        assertEquals(recipe, done.getString("report.recipe"));
        String version = done.getString("version");
        String firstChunk = TopicCatalog.modelChunkKey(version, 0);
        assertTrue(readAll(TopicCatalog.MODELS.name()).stream().anyMatch(r -> r.key().equals(firstChunk)),
                version + " is not on " + TopicCatalog.MODELS.name());
    }

    private static boolean calibrationProduced;

    /** Calibration on the topics once per broker, whichever test runs first. */
    private synchronized void ensureCalibration() throws Exception {
        if (!calibrationProduced) {
            produceCalibration();
            calibrationProduced = true;
        }
    }

    /** 14 complete videos (2 technical clips + 1 aesthetic clip each) with labels, after one corrupt record. */
    private void produceCalibration() throws Exception {
        byte[] corrupt = new byte[512];
        new SplittableRandom(99).nextBytes(corrupt);
        corrupt[0] = 0; // field number 0 is never valid protobuf, so this can never parse as a clip
        assertThrows(RuntimeException.class, () -> WireSerdes.fragments().deserializer()
                .deserialize(TopicCatalog.FRAGMENTS.name(), corrupt));
        Map<String, Object> settings = Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "max.request.size", TopicCatalog.LARGE_MESSAGE_BYTES);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new ByteArraySerializer())) {
            // Keyed like the first video and sent before it, so the sampler must read past it to complete that video.
            producer.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), videoId(0), corrupt)).get();
            for (int i = 0; i < VIDEOS; i++) {
                double contrast = 10 + 110.0 * i / (VIDEOS - 1);
                String id = videoId(i);
                for (int c = 0; c < 2; c++) {
                    producer.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), id,
                            clip(id, View.TECHNICAL, c, 2, contrast, 100L * i + c).toByteArray()));
                }
                producer.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), id,
                        clip(id, View.AESTHETIC, 0, 1, contrast, 100L * i + 50).toByteArray()));
                VideoLabel label = VideoLabel.newBuilder().setVideoId(id).setMos(1 + 4 * contrast / 120)
                        .setDataset("prune-flow-test").build();
                producer.send(new ProducerRecord<>(TopicCatalog.LABELS.name(), id, label.toByteArray()));
            }
            producer.flush();
        }
    }

    private static String videoId(int i) {
        return String.format("flow-video-%02d", i);
    }

    /** Smooth noise around mid-grey whose contrast sets the label: something random conv features can see. */
    private static FragmentClip clip(String id, View view, int index, int count, double contrast, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[CLIP_BYTES];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) Math.max(0, Math.min(255, Math.round(128 + contrast * (r.nextDouble() * 2 - 1))));
        }
        return FragmentClip.newBuilder().setVideoId(id).setView(WireViews.toWire(view)).setClipIndex(index)
                .setClipCount(count).addAllFrameIndices(IntStream.range(0, T).map(f -> index * T + f).boxed().toList())
                .setBatch(1).setChannels(3).setFrames(T).setHeight(H).setWidth(W).setPixels(ByteString.copyFrom(pixels))
                .setIngestTimeMs(1_700_000_000_000L).setDataset("prune-flow-test").build();
    }

    /** Polls the job until it ends, collecting every progress line seen on the way (the status keeps the last 50). */
    private static JsonPath await(String location, Set<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (true) {
            Response r = given().accept(ContentType.JSON).when().get(location);
            r.then().statusCode(200);
            JsonPath status = r.jsonPath();
            List<String> lines = status.getList("progress", String.class);
            if (lines != null) {
                progress.addAll(lines);
            }
            String state = status.getString("state");
            if ("SUCCEEDED".equals(state) || "FAILED".equals(state)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                fail("job still " + state + " after " + JOB_TIMEOUT + ":\n" + String.join("\n", progress));
            }
            Thread.sleep(100);
        }
    }

    /** Every record of a topic from the beginning up to its current end, read without a consumer group. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private long endOffset(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", "false");
        p.put("max.partition.fetch.bytes", TopicCatalog.LARGE_MESSAGE_BYTES);
        p.put("fetch.max.bytes", 4 * TopicCatalog.LARGE_MESSAGE_BYTES);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Topics exist once the service is ready (it creates them at startup or on the first readiness check). */
    private static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (given().when().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                fail("pruning-service not ready: " + given().when().get("/q/health/ready").asString());
            }
            Thread.sleep(250);
        }
    }
}
