package dev.vqamini.ingest;

import dev.vqamini.kafka.KafkaClientSettings;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.video.synth.VideoWriter;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.views.ViewSettings;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.VideoUpload;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * ingest-service on the real broker: 20 real encoded videos (several codecs and sizes, a BT.709-tagged one, one
 * under 224 px) and 3 broken files through each way in (REST multipart, REST JSON URI, upload events, the watched
 * folder): exactly 4 fragment records per good video, a dead letter with the reason per broken one, nothing else.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestFlowTest {

    static final List<String> BROKEN = List.of("empty.mp4", "notes.mp4", "truncated.mp4");
    static List<String> good = new ArrayList<>();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @BeforeAll
    static void videos() throws Exception {
        Files.createDirectories(IngestTestProfile.VIDEOS);
        if (!good.isEmpty()) {
            return;
        }
        String[][] kinds = { // name, codec, width, height, extra
                {"h264_320x240.mp4", "libx264", "320", "240", ""}, {"h264_bt709_640x360.mp4", "libx264", "640", "360", "bt709"},
                {"h264_160x120.mp4", "libx264", "160", "120", ""}, {"mpeg4_352x288.avi", "mpeg4", "352", "288", ""},
                {"mjpeg_320x240.avi", "mjpeg", "320", "240", ""}, {"vp9_320x180.webm", "libvpx-vp9", "320", "180", ""},
                {"hevc_320x240.mkv", "libx265", "320", "240", ""}, {"h264_portrait_240x426.mp4", "libx264", "240", "426", ""},
                {"h264_256x256.mov", "libx264", "256", "256", ""}, {"h264_480x270.mkv", "libx264", "480", "270", ""}};
        int made = 0;
        for (int copy = 0; made < 20; copy++) {
            for (String[] k : kinds) {
                if (made == 20 || !VideoWriter.hasEncoder(k[1])) {
                    continue;
                }
                String name = "v" + copy + "_" + k[0];
                write(IngestTestProfile.VIDEOS.resolve(name), k[1], Integer.parseInt(k[2]), Integer.parseInt(k[3]), k[4], copy);
                good.add(name);
                made++;
            }
        }
        Files.write(IngestTestProfile.VIDEOS.resolve("empty.mp4"), new byte[0]);
        Files.writeString(IngestTestProfile.VIDEOS.resolve("notes.mp4"), "not a video, just text\n");
        byte[] whole = Files.readAllBytes(IngestTestProfile.VIDEOS.resolve(good.get(0)));
        Files.write(IngestTestProfile.VIDEOS.resolve("truncated.mp4"), Arrays.copyOf(whole, 2000));
    }

    private static void write(Path file, String codec, int w, int h, String tag, int seed) throws Exception {
        VideoWriter.Spec spec = new VideoWriter.Spec(w, h).codec(codec).fps(24).gop(12)
                .pixelFormat(codec.equals("mjpeg") ? "yuvj420p" : "yuv420p");
        if (tag.equals("bt709")) {
            spec.option("x264-params", "colorprim=bt709:transfer=bt709:colormatrix=bt709");
        }
        try (VideoWriter out = VideoWriter.open(file, spec)) {
            byte[] rgb = new byte[w * h * 3];
            for (int f = 0; f < 36; f++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = (y * w + x) * 3;
                        rgb[i] = (byte) ((x * 255 / w + f * 7 + seed * 40) & 0xff);
                        rgb[i + 1] = (byte) ((y * 255 / h + f * 3) & 0xff);
                        rgb[i + 2] = (byte) (((x / 16 + y / 16 + f / 4) % 2) * 200);
                    }
                }
                out.write(rgb);
            }
        }
    }

    @Test
    void everyWayInGivesFourRecordsPerGoodVideoAndADeadLetterPerBrokenOne() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> all = new ArrayList<>(good);
        all.addAll(BROKEN);
        for (String name : all) { // 1. multipart, as curl -F file=@... sends it; a busy service answers 503
            postUntilAccepted(() -> given().multiPart("file", IngestTestProfile.VIDEOS.resolve(name).toFile())
                    .multiPart("id", "rest-" + run + "-" + name).multiPart("mos", "3.5").when().post("/videos"));
        }
        for (String name : all) { // 2. JSON with a file: URI below the allowed folder
            postUntilAccepted(() -> given().contentType(ContentType.JSON).body(Map.of("uri",
                    IngestTestProfile.VIDEOS.resolve(name).toUri().toString(), "id", "json-" + run + "-" + name)).post("/videos"));
        }
        try (KafkaProducer<String, VideoUpload> p = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new StringSerializer(), WireSerdes.uploads().serializer())) {
            for (String name : all) { // 3. upload events
                String id = "kafka-" + run + "-" + name;
                p.send(new ProducerRecord<>(TopicCatalog.UPLOADS.name(), id, VideoUpload.newBuilder().setVideoId(id)
                        .setUri(IngestTestProfile.VIDEOS.resolve(name).toUri().toString()).build())).get();
            }
        }
        for (String name : all) { // 4. the watched folder
            Files.copy(IngestTestProfile.VIDEOS.resolve(name), IngestTestProfile.WATCH.resolve("watch-" + run + "-" + name));
        }

        List<String> ways = List.of("rest", "json", "kafka", "watch");
        Map<String, Integer> records = new HashMap<>();
        Map<String, DeadLetter> letters = new HashMap<>();
        long deadline = System.nanoTime() + 240_000_000_000L;
        int expected = ways.size() * all.size();
        while (System.nanoTime() < deadline) {
            records.clear();
            letters.clear();
            KafkaClientSettings.plaintext(servers, "ingest-test").topicReader("test").readToEnd(TopicCatalog.FRAGMENTS.name(), (t, b) -> b.length,
                    (k, n) -> records.merge(k, 1, Integer::sum));
            KafkaClientSettings.plaintext(servers, "ingest-test").topicReader("test").readToEnd(TopicCatalog.DLQ.name(), WireSerdes.deadLetters().deserializer(),
                    (k, d) -> letters.put(k, d));
            long doneGood = records.entrySet().stream().filter(e -> e.getKey().contains(run) && e.getValue() == 4).count();
            long doneBroken = letters.keySet().stream().filter(k -> k.contains(run)).count();
            if (doneGood + doneBroken >= expected && Files.list(IngestTestProfile.WATCH).filter(Files::isRegularFile).count() == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        for (String way : ways) {
            for (String name : good) {
                String id = way + "-" + run + "-" + name;
                assertEquals(4, records.getOrDefault(id, 0), id + ": fragment records");
                assertTrue(!letters.containsKey(id), id + " dead-lettered: " + letters.get(id));
            }
            for (String name : BROKEN) {
                String id = way + "-" + run + "-" + name;
                assertEquals(0, records.getOrDefault(id, 0), id + " published fragments");
                DeadLetter d = letters.get(id);
                assertTrue(d != null && d.getStage().startsWith("ingest") && !d.getReason().isBlank(), id + ": " + d);
            }
        }
        assertTrue(letters.get("rest-" + run + "-empty.mp4").getReason().contains("empty"));
        assertTrue(Files.exists(IngestTestProfile.WATCH.resolve("done").resolve("watch-" + run + "-" + good.get(0))));
        assertTrue(Files.exists(IngestTestProfile.WATCH.resolve("failed").resolve("watch-" + run + "-notes.mp4.reason.txt")));
        long extra = records.keySet().stream().filter(k -> k.contains(run))
                .filter(k -> ways.stream().noneMatch(w -> good.stream().anyMatch(g -> k.equals(w + "-" + run + "-" + g)))).count();
        assertEquals(0, extra, "records for videos that should have none");
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        assertTrue(metrics.contains("vqa_ingest_videos_published_total"), "metrics");
        assertTrue(metrics.contains("vqa_ingest_videos_failed_total{reason=\"empty\""), "failure reasons as tags");
    }

    @Test
    void publishedViewsAreByteIdenticalToVqaViewsWithTheSameSeed() throws Exception {
        String name = good.get(1); // the BT.709-tagged one
        Path copy = IngestTestProfile.VIDEOS.resolve("same-" + name);
        Files.copy(IngestTestProfile.VIDEOS.resolve(name), copy, StandardCopyOption.REPLACE_EXISTING);
        String id = copy.getFileName().toString(); // id = file name: exactly `vqa views FILE --seed 0`
        postUntilAccepted(() -> given().contentType(ContentType.JSON).body(Map.of("uri", copy.toUri().toString())).post("/videos"));
        Map<Integer, FragmentClip> technical = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (technical.size() < 3 && System.nanoTime() < deadline) {
            KafkaClientSettings.plaintext(servers, "ingest-test").topicReader("test").readToEnd(TopicCatalog.FRAGMENTS.name(), WireSerdes.fragments().deserializer(),
                    (k, c) -> {
                        if (k.equals(id) && c.getView().getNumber() == 1) {
                            technical.put(c.getClipIndex(), c);
                        }
                    });
            Thread.sleep(500);
        }
        var views = new ViewSampler(ViewSettings.defaults()).sampleWithInfo(copy, 0).views();
        int bytes = views.technical().clipBytes();
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(Arrays.copyOfRange(views.technical().pixels(), c * bytes, (c + 1) * bytes),
                    technical.get(c).getPixels().toByteArray(), "technical clip " + c);
            assertEquals(Arrays.stream(views.technical().frameIndices()[c]).boxed().toList(), technical.get(c).getFrameIndicesList());
        }
        assertEquals(640, technical.get(0).getSource().getWidth());
    }

    @Test
    void aVideoFromAnAllowedHttpHostIsDownloadedAndPublished() throws Exception {
        byte[] video = Files.readAllBytes(IngestTestProfile.VIDEOS.resolve(good.get(0)));
        HttpServer server = HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/uploads/clip.mp4", ex -> {
            ex.sendResponseHeaders(200, video.length);
            try (var out = ex.getResponseBody()) {
                out.write(video);
            }
        });
        server.start();
        try {
            String id = "http-" + UUID.randomUUID().toString().substring(0, 6);
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/uploads/clip.mp4";
            postUntilAccepted(() -> given().contentType(ContentType.JSON).body(Map.of("uri", uri, "id", id)).post("/videos"));
            Map<String, Integer> records = new HashMap<>();
            for (int i = 0; i < 120 && records.getOrDefault(id, 0) < 4; i++) {
                records.clear();
                KafkaClientSettings.plaintext(servers, "ingest-test").topicReader("test").readToEnd(TopicCatalog.FRAGMENTS.name(), (t, b) -> b.length,
                        (k, n) -> records.merge(k, 1, Integer::sum));
                Thread.sleep(500);
            }
            assertEquals(4, records.getOrDefault(id, 0), "records of the downloaded video");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void oversizedUploadsAndUrisOutsideTheRootsAreRefusedWith4xx() throws Exception {
        Path big = IngestTestProfile.ROOT.resolve("big.mp4");
        Files.write(big, new byte[4 * 1024 * 1024]);
        given().multiPart("file", big.toFile()).post("/videos").then().statusCode(413)
                .body("error", containsString("vqa.ingest.max-upload-bytes"));
        given().contentType(ContentType.JSON).body(Map.of("uri", big.toUri().toString())).post("/videos").then()
                .statusCode(403).body("error", containsString("outside the allowed folders"));
        given().contentType(ContentType.JSON).body(Map.of("uri", IngestTestProfile.VIDEOS.resolve("../big.mp4").toUri().toString()))
                .post("/videos").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("uri", "ftp://example.org/x.mp4")).post("/videos").then()
                .statusCode(403).body("error", containsString("scheme 'ftp'"));
        given().contentType(ContentType.JSON).body(Map.of("uri", "https://example.org/x.mp4")).post("/videos").then()
                .statusCode(403).body("error", containsString("not among the allowed hosts"));
        given().contentType(ContentType.JSON).body(Map.of("id", "x")).post("/videos").then().statusCode(400);
    }

    @Test
    void aBurstIsAcceptedDurablyAndEveryUploadIsPublished() throws Exception {
        Path video = IngestTestProfile.VIDEOS.resolve(good.get(0));
        AtomicInteger busy = new AtomicInteger();
        Map<String, String> uploads = new ConcurrentHashMap<>(); // upload id -> video id
        ExecutorService clients = Executors.newFixedThreadPool(10);
        List<Future<?>> sent = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 30; i++) {
            String id = "burst-" + run + "-" + i;
            sent.add(clients.submit(() -> {
                Response r = given().multiPart("file", video.toFile()).multiPart("id", id).post("/videos");
                if (r.statusCode() == 202) {
                    uploads.put(r.jsonPath().getString("upload_id"), id);
                } else {
                    busy.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        clients.shutdown();
        // 2 decoders and a queue of 2 no longer limit what is accepted: the spool and vqa.uploads are the queue.
        assertEquals(0, busy.get(), "uploads refused in a burst of 30");
        assertEquals(30, uploads.size());
        // Accepted means on Kafka already: every 202's upload record is on vqa.uploads, with the spooled file.
        Map<String, VideoUpload> records = new HashMap<>();
        KafkaClientSettings.plaintext(servers, "ingest-test").topicReader("test").readToEnd(TopicCatalog.UPLOADS.name(),
                WireSerdes.uploads().deserializer(), (k, u) -> records.put(u.getUploadId(), u));
        for (var e : uploads.entrySet()) {
            VideoUpload u = records.get(e.getKey());
            assertTrue(u != null && u.getVideoId().equals(e.getValue()) && u.getSource().equals("rest"), e + ": " + u);
        }
        for (String upload : uploads.keySet()) { // and every one is published, then its spooled file released
            String state = "accepted";
            for (int i = 0; i < 480 && !state.equals("published"); i++) {
                state = given().get("/uploads/" + upload).jsonPath().getString("state");
                if (!state.equals("published")) {
                    assertEquals("accepted", state, upload + " failed");
                    Thread.sleep(250);
                }
            }
            assertEquals("published", state, upload);
            assertTrue(!Files.exists(Path.of(URI.create(records.get(upload).getUri()))), "still spooled: " + upload);
        }
    }

    private static void postUntilAccepted(Supplier<Response> post) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            Response r = post.get();
            if (r.statusCode() == 202) {
                r.then().body("upload_id", notNullValue());
                return;
            }
            assertEquals(503, r.statusCode(), r.asString());
            Thread.sleep(100); // a client honouring Retry-After, faster
        }
        throw new AssertionError("never accepted");
    }
}
