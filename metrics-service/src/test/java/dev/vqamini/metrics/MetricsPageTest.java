package dev.vqamini.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import java.util.function.Predicate;

/**
 * The page at {@code /} in a real headless browser (Debian's chromium): a planned candidate's real and shadow scores,
 * some labelled, go through the broker; the controller steps it up once; then the rendered DOM must hold a table row
 * per version, the candidate-against-stable scatter with every paired video, the MOS scatter, the rollout's decisions,
 * and no script or console error. Skipped without chromium unless VQA_REQUIRE_DEPLOY_TOOLS is set (CI), where it fails.
 * With env {@code METRICS_PAGE_SCREENSHOT=PATH} it also saves a screenshot (how docs/metrics-page.png is made; an env
 * variable, since Quarkus refuses unknown vqa.* system properties).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class MetricsPageTest {

    /** Cost gates off: these scores carry made-up latencies. */
    private static final RolloutGates GATES = RolloutPlans.DEFAULT_GATES.toBuilder().setMaxP99LatencyIncrease(0)
            .setMaxThroughputDecrease(0).build();
    private static final int VIDEOS = 40;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @TestHTTPResource("/")
    URL page;

    @Test
    void thePageRendersTheTableTheScattersAndTheDecisionsWithoutErrors() throws Exception {
        Path chromium = chromium();
        ServiceContractTest.awaitReady().then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String model = "page-" + run;
        String stable = model + "-stable";
        String candidate = model + "-candidate";
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(servers, "metrics-page-test");
        ModelPublisher.publish(kafka, model, stable, MetricsFlowTest.bundle(stable, 9_904_546L, 26_190_000_000L));
        ModelPublisher.publish(kafka, model, candidate, MetricsFlowTest.bundle(candidate, 1_689_450L, 4_860_000_000L));
        RolloutWriter rollouts = new RolloutWriter(kafka);
        rollouts.apply(model, RolloutEdits.promote(stable));
        // the first step's minimum is all the videos below, the second's is never reached: one step up, then a hold
        rollouts.apply(model, RolloutPlans.plan(candidate, List.of(0.05, 0.25, 1.0), VIDEOS, 0, GATES, 0.5, System.currentTimeMillis()));
        feedPairs(model, stable, candidate);

        awaitJson("/comparison/pairs?candidate=" + candidate, body -> count(body, "\"video_id\"") == VIDEOS);
        awaitJson("/rollouts/decisions?model=" + model, body -> body.contains("\"step_up\""));
        awaitJson("/versions", body -> body.contains(stable) && body.contains(candidate));

        String dom = browse(chromium, List.of("--dump-dom"));
        assertTrue(dom.contains("data-state=\"ready\""), "the page rendered:\n" + dom);
        assertTrue(dom.contains("data-errors=\"0\""), "errors on the page:\n" + text(dom, "<ul id=\"page-errors\"", "</ul>"));
        assertTrue(dom.contains("<tr data-version=\"" + stable + "\">"), "stable's row");
        assertTrue(dom.contains("<tr data-version=\"" + candidate + "\">"), "candidate's row");
        String comparison = text(dom, "data-candidate=\"" + candidate + "\"", "</canvas></div></div></div>");
        assertEquals(String.valueOf(VIDEOS), attribute(comparison, "scatter-pairs", "data-points"), "paired points:\n" + comparison);
        assertEquals(String.valueOf(2 * (VIDEOS / 2)), attribute(comparison, "scatter-mos", "data-points"),
                "both versions against MOS on the labelled half:\n" + comparison);
        String rollout = text(dom, "data-model=\"" + model + "\"", "</table>");
        assertTrue(rollout.contains("data-action=\"step_up\""), "the step up on the timeline:\n" + rollout);

        String screenshot = System.getenv("METRICS_PAGE_SCREENSHOT");
        if (screenshot != null) {
            Path png = Path.of(screenshot).toAbsolutePath();
            Files.createDirectories(png.getParent());
            browse(chromium, List.of("--screenshot=" + png, "--window-size=1200,1400", "--hide-scrollbars"));
            assertTrue(Files.size(png) > 10_000, "screenshot written: " + png);
        }
    }

    /**
     * Each video as a scorer writes it under a plan with half the videos shadowed: its real score by the version that
     * serves it (the candidate every fourth video) and the other version's as shadow; MOS for every other video.
     */
    private void feedPairs(String model, String stable, String candidate) {
        SplittableRandom random = new SplittableRandom(17);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < VIDEOS; i++) {
                String id = model + "-video-" + i;
                double mos = 1 + 4 * random.nextDouble();
                double s = mos / 5 + 0.1 * random.nextDouble();
                double c = s + 0.03 * (random.nextDouble() - 0.5); // a candidate close to stable
                boolean candidateServes = i % 4 == 0;
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id,
                        score(id, candidateServes ? candidate : stable, candidateServes ? c : s, false).toByteArray()));
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id,
                        score(id, candidateServes ? stable : candidate, candidateServes ? s : c, true).toByteArray()));
                if (i % 2 == 0) {
                    p.send(new ProducerRecord<>(TopicCatalog.LABELS.name(), id,
                            VideoLabel.newBuilder().setVideoId(id).setMos(mos).build().toByteArray()));
                }
            }
        }
    }

    private static VideoScoreRecord score(String id, String version, double fused, boolean shadow) {
        long now = System.currentTimeMillis();
        return VideoScoreRecord.newBuilder().setVideoId(id).setUploadId("u-" + id).setModelVersion(version).setFused(fused)
                .setTechnical(fused).setAesthetic(fused).setEndToEndMs(120).setInferenceMs(40).setIngestTimeMs(now - 120)
                .setClips(4).setShadow(shadow).build();
    }

    /**
     * Loads the page in headless chromium with {@code mode} (--dump-dom or --screenshot) and returns stdout; fails on
     * any console message (--enable-logging=stderr puts the page's console on stderr).
     */
    private String browse(Path chromium, List<String> mode) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("metrics-page-chromium");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                // virtual time runs the page's fetches and first render to the end, without waiting on the clock
                "--virtual-time-budget=10000"));
        command.addAll(mode);
        command.add(page.toString());
        Path stderr = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 90 s: " + command);
        }
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        // the page writes nothing to the console, so any line there (an uncaught error, a failed load, a warning) fails
        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertTrue(console.isEmpty(), "console messages: " + console);
        assertEquals(0, p.exitValue(), "chromium exit; stderr:\n" + log);
        return out;
    }

    /** chromium on PATH, or the test is skipped (fails where VQA_REQUIRE_DEPLOY_TOOLS says the tools are required). */
    private static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String message = "chromium not on PATH, needed to check the metrics page (.ci/run installs it)";
        if (System.getenv("VQA_REQUIRE_DEPLOY_TOOLS") != null) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private static void awaitJson(String path, Predicate<String> done) throws InterruptedException {
        String body = "";
        for (int i = 0; i < 180; i++) {
            body = given().get(path).asString();
            if (done.test(body)) {
                return;
            }
            Thread.sleep(500);
        }
        fail("not within 90 s: GET " + path + " -> " + body);
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    /** The text from {@code start} to the next {@code end} (or the rest), to assert within one part of the page. */
    private static String text(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertTrue(from >= 0, start + " not on the page:\n" + dom);
        int to = dom.indexOf(end, from);
        return to < 0 ? dom.substring(from) : dom.substring(from, to + end.length());
    }

    /** An attribute of the first element whose class is {@code cssClass}. */
    private static String attribute(String html, String cssClass, String name) {
        Matcher m = Pattern.compile("<canvas[^>]*class=\"" + cssClass + "\"[^>]*>").matcher(html);
        assertTrue(m.find(), cssClass + " not drawn:\n" + html);
        Matcher a = Pattern.compile(name + "=\"([^\"]*)\"").matcher(m.group());
        return a.find() ? a.group(1) : "absent";
    }
}
