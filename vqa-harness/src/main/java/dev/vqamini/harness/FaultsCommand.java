package dev.vqamini.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.cli.RuntimeOptions;
import dev.vqamini.cli.WeightsOption;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/** {@code vqa faults}: the fault matrix, with the broker and the services as separate processes killed with -9. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {
                "Run the fault matrix: a Kafka broker and the services (ingest, two scorers, metrics) as separate",
                "processes, real uploads through ingest's REST API, and in each scenario a process killed with",
                "SIGKILL (kill -9) and started again, or bad records and a bad model version sent in.",
                "One line per scenario: uploads accepted, videos scored, duplicates, dead letters, lost, and the",
                "seconds from the restart until the last video was scored. Exit code 1 when anything was lost or a",
                "service did not come back ready.",
                "",
                "Scenarios: ingest (killed right after its 202s), scorer-one (one of two scorers), scorer-all (every",
                "scorer), sigterm (a scoring scorer stopped with SIGTERM 3 times, then ingest and metrics once each: each",
                "must exit cleanly within 30 s with no JVM crash report), broker (killed and restarted on its data), metrics-state (killed and",
                "its local state deleted: its table must come back equal), poison (undecodable records on every topic), bad-version",
                "(an unreadable version put at 50 %% mid-stream), half-version (a version whose publisher died half",
                "way through its chunks, as a pruning-service killed mid-publish leaves it, named at 50 %%)."})
public final class FaultsCommand implements Callable<Integer> {

    static final List<String> SCENARIOS = List.of("ingest", "scorer-one", "scorer-all", "sigterm", "broker",
            "metrics-state", "poison", "bad-version", "half-version");
    /** SIGTERMs to the scorer in the sigterm scenario, and how long a service may take to stop after one. */
    static final int STOPS = 3;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--videos", defaultValue = "4", description = "Uploads per scenario (default ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", description = "Which scenarios, in order (default: all).")
    List<String> scenarios = SCENARIOS;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder: broker data, videos, spool, logs (default: a new temporary folder).")
    Path dir;

    @Option(names = "--timeout", defaultValue = "PT4M", description = "Longest wait for a scenario's videos (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "One JSON object per scenario instead of the table.")
    boolean json;

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One scenario's counts. */
    public record Result(String scenario, int accepted, int scored, int duplicates, int deadLetters, int lost,
                         double recoverySeconds, boolean ready, String note) {
    }

    @Override
    public Integer call() throws Exception {
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                System.err.println("faults: unknown scenario '" + s + "'; known: " + String.join(", ", SCENARIOS));
                return 2;
            }
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("vqa-faults");
        List<Result> results = new ArrayList<>();
        try (LocalPipeline pipeline = LocalPipeline.start(work, weights.definition(runtime.options()), "faults")) {
            ServiceProcesses services = pipeline.services();
            List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults())
                    .generate(Files.createDirectories(work.resolve("videos")), videos, 7, v -> { });
            Scenarios run = new Scenarios(pipeline, synth);
            for (String s : scenarios) {
                log("scenario " + s);
                Result r = run.run(s);
                results.add(r);
                print(r);
            }
        }
        if (!json) {
            System.out.println();
        }
        boolean ok = results.stream().allMatch(r -> r.lost() == 0 && r.ready());
        return ok ? 0 : 1;
    }

    private void print(Result r) throws IOException {
        if (json) {
            System.out.println(JSON.writeValueAsString(r));
        } else {
            System.out.printf("%-14s accepted %3d  scored %3d  duplicates %2d  dead letters %2d  lost %2d  recovered in %5.1f s  %s%s%n",
                    r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.lost(), r.recoverySeconds(),
                    r.ready() ? "all ready" : "NOT READY", r.note().isEmpty() ? "" : "  (" + r.note() + ")");
        }
        System.out.flush();
    }

    private static void log(String line) {
        System.err.println("faults: " + line);
    }

    /** The scenarios, sharing one broker and one set of services. */
    private final class Scenarios {
        private final LocalPipeline pipeline;
        private final ServiceProcesses services;
        private final BrokerProcess broker;
        private final KafkaClientSettings kafka;
        private final List<SynthVideo> synth;
        private final Path work;
        private final String model;
        /** When the fault struck: recovery is counted from here. */
        private long faultAt;

        Scenarios(LocalPipeline pipeline, List<SynthVideo> synth) {
            this.pipeline = pipeline;
            this.services = pipeline.services();
            this.broker = pipeline.broker();
            this.kafka = pipeline.kafka();
            this.synth = synth;
            this.work = pipeline.work();
            this.model = pipeline.stable().name();
        }

        Result run(String scenario) throws Exception {
            return switch (scenario) {
                case "ingest" -> fault(scenario, () -> restart("ingest"), "");
                case "scorer-one" -> fault(scenario, () -> {
                    awaitFirstScore(scenario); // mid-stream: clips in flight
                    faultAt = System.nanoTime();
                    services.kill("scorer-a"); // scorer-b takes its partitions; scorer-a comes back afterwards
                    Thread.sleep(2000);
                    services.restart("scorer-a");
                }, "");
                case "scorer-all" -> fault(scenario, () -> {
                    awaitFirstScore(scenario);
                    faultAt = System.nanoTime();
                    services.kill("scorer-a");
                    services.kill("scorer-b");
                    Thread.sleep(2000);
                    services.restart("scorer-a");
                    services.restart("scorer-b");
                }, "");
                case "sigterm" -> sigterm();
                case "broker" -> fault(scenario, () -> {
                    broker.kill();
                    Thread.sleep(3000);
                    broker.restart();
                }, "");
                case "metrics-state" -> metricsState();
                case "poison" -> fault(scenario, this::poison, "undecodable records on " + POISONED.size() + " topics");
                case "bad-version" -> badVersion();
                case "half-version" -> halfVersion();
                default -> throw new IllegalArgumentException(scenario);
            };
        }

        private void awaitFirstScore(String scenario) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (counts(id -> id.startsWith(scenario + "-")).scored == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }

        private void restart(String instance) throws Exception {
            services.kill(instance);
            services.restart(instance);
        }

        /** Uploads, then the fault (right after the 202s, or mid-stream), then counts until every upload is scored or dead-lettered. */
        private Result fault(String scenario, ThrowingRunnable fault, String note) throws Exception {
            List<String> ids = upload(scenario);
            faultAt = System.nanoTime(); // unless the fault waits for its moment and sets it
            fault.run();
            return settle(scenario, ids, faultAt, note);
        }

        private Result settle(String scenario, List<String> ids, long t0, String note) throws Exception {
            Counts c = awaitCounts(ids);
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean ready = true;
            try {
                services.awaitReady(Duration.ofMinutes(2));
            } catch (IllegalStateException e) {
                ready = false;
                note = (note.isEmpty() ? "" : note + "; ") + e.getMessage();
            }
            return new Result(scenario, ids.size(), c.scored, c.duplicates, c.deadLetters,
                    ids.size() - c.scored - c.deadLetters, seconds, ready, note);
        }

        /**
         * A scoring scorer stopped with SIGTERM, {@link #STOPS} times, then ingest (cutting) and metrics-service once
         * each, every one started again after its stop: every stop must end within {@link #STOP_TIMEOUT} with a clean
         * exit (143 after SIGTERM, or 0), no crash report, and nothing lost (what was in flight is left uncommitted
         * and done again).
         */
        private Result sigterm() throws Exception {
            String scenario = "sigterm";
            List<String> ids = upload(scenario);
            awaitFirstScore(scenario);
            faultAt = System.nanoTime();
            List<String> stops = new ArrayList<>();
            boolean clean = true;
            List<String> order = new ArrayList<>(Collections.nCopies(STOPS, "scorer-a"));
            order.addAll(List.of("ingest", "metrics"));
            for (String service : order) {
                long t0 = System.nanoTime();
                int exit = services.stop(service, STOP_TIMEOUT);
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<Path> crashes = services.crashReports(service);
                clean &= (exit == 143 || exit == 0) && crashes.isEmpty(); // 143: the JVM's exit after SIGTERM
                stops.add(String.format(Locale.ROOT, "%s exit %d in %.1f s%s", service, exit, seconds,
                        crashes.isEmpty() ? "" : ", crash report " + crashes.get(0)));
                services.restart(service);
                services.awaitReady(service, Duration.ofMinutes(2));
                Thread.sleep(1500); // redelivered work is in flight again: the next stop strikes mid-batch
            }
            Result r = settle(scenario, ids, faultAt, "SIGTERM: " + String.join("; ", stops));
            return clean ? r : new Result(r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.lost(),
                    r.recoverySeconds(), false, "a stop was not clean: " + r.note());
        }

        /** metrics-service killed and its local state deleted: the per-version table comes back equal. */
        private Result metricsState() throws Exception {
            List<String> ids = upload("metrics-state");
            awaitCounts(ids);
            JsonNode before = versionCounts();
            while (!before.equals(versionCounts())) { // settled: every score counted
                Thread.sleep(1000);
                before = versionCounts();
            }
            long t0 = System.nanoTime();
            services.kill("metrics");
            deleteTree(work.resolve("streams"));
            services.restart("metrics");
            services.awaitReady("metrics", Duration.ofMinutes(3));
            JsonNode after = versionCounts();
            for (long deadline = System.nanoTime() + timeout.toNanos(); !before.equals(after) && System.nanoTime() < deadline; ) {
                Thread.sleep(1000);
                after = versionCounts();
            }
            Result r = settle("metrics-state", ids, t0, "");
            boolean equal = before.equals(after);
            return new Result(r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(),
                    r.lost() + (equal ? 0 : 1), r.recoverySeconds(), r.ready(),
                    equal ? "table equal after rebuild: " + after : "table differs: before " + before + ", after " + after);
        }

        /** An unreadable version is put at 50 % mid-stream: refused, and the stable version scores everything. */
        private Result badVersion() throws Exception {
            String version = "broken-" + System.currentTimeMillis();
            byte[] garbage = new byte[100_000];
            new Random(1).nextBytes(garbage);
            ModelPublisher.publish(kafka, model, version, garbage);
            return unservable("bad-version", version, "refused");
        }

        /**
         * A version cut off half way through its chunks, as a pruning-service killed mid-publish leaves it, named at
         * 50 % anyway: it never serves (it cannot be assembled), and the stable version scores everything.
         */
        private Result halfVersion() throws Exception {
            byte[] archive = ServingBundle.archive(work.resolve("models").resolve(pipeline.stable().version()));
            String version = "half-" + System.currentTimeMillis();
            List<ModelChunk> chunks = BundleChunks.split(model, version, archive);
            try (KafkaProducer<String, ModelChunk> p = new KafkaProducer<>(kafka.largeRecordProducer("faults"),
                    new StringSerializer(), WireSerdes.models().serializer())) {
                for (ModelChunk c : chunks.subList(0, chunks.size() / 2)) {
                    p.send(new ProducerRecord<>(TopicCatalog.MODELS.name(), TopicCatalog.modelChunkKey(version,
                            c.getChunkIndex()), c)).get();
                }
            }
            RolloutWriter rollouts = new RolloutWriter(kafka);
            String refusal;
            try {
                rollouts.apply(model, RolloutEdits.canary(version, 0.5));
                refusal = "the rollout writer named it";
            } catch (RuntimeException e) {
                refusal = "the rollout writer refused to name it";
            }
            // Named anyway, by a record written past the writer: the scorer must still never serve it.
            Rollout before = rollouts.current(model).orElseThrow();
            Rollout named = before.toBuilder().setRevision(before.getRevision() + 1).addCandidates(RolloutCandidate.newBuilder()
                    .setModelVersion(version).setTrafficWeight(0.5).setRangeStart(0.5)).build();
            writeRollout(named);
            List<String> ids = upload("half-version");
            Result r = settle("half-version", ids, System.nanoTime(), "");
            writeRollout(before.toBuilder().setRevision(named.getRevision() + 1).build());
            return new Result(r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.lost(),
                    r.recoverySeconds(), r.ready(), version + ": " + (chunks.size() / 2) + " of " + chunks.size()
                    + " chunks; " + refusal + "; named at 50 % past it, never served; " + scoredBy(ids));
        }

        private void writeRollout(Rollout r) throws Exception {
            try (KafkaProducer<String, Rollout> p = new KafkaProducer<>(kafka.producer("faults"), new StringSerializer(),
                    WireSerdes.rollouts().serializer())) {
                p.send(new ProducerRecord<>(TopicCatalog.ROLLOUTS.name(), r.getModelName(), r)).get();
            }
        }

        private Result unservable(String scenario, String version, String what) throws Exception {
            RolloutWriter rollouts = new RolloutWriter(kafka);
            rollouts.apply(model, RolloutEdits.canary(version, 0.5));
            List<String> ids = upload(scenario);
            Result r = settle(scenario, ids, System.nanoTime(), "");
            rollouts.apply(model, RolloutEdits.canary(version, 0.0));
            return new Result(r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.lost(),
                    r.recoverySeconds(), r.ready(), version + " at 50 %, " + what + "; " + scoredBy(ids));
        }

        private String scoredBy(List<String> ids) {
            Map<String, Integer> byVersion = new LinkedHashMap<>();
            kafka.topicReader("faults").readToEnd(TopicCatalog.VIDEO_SCORES.name(), WireSerdes.videoScores().deserializer(),
                    (k, v) -> {
                        if (ids.contains(v.getVideoId())) {
                            byVersion.merge(v.getModelVersion(), 1, Integer::sum);
                        }
                    });
            return "scored by " + byVersion;
        }

        private void poison() throws Exception {
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.largeRecordProducer("poison"),
                    new StringSerializer(), new ByteArraySerializer())) {
                byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
                for (String topic : POISONED) {
                    String key = topic.equals(TopicCatalog.MODELS.name()) ? TopicCatalog.modelChunkKey("poison", 0) : "poison";
                    p.send(new ProducerRecord<>(topic, key, garbage)).get();
                }
            }
        }

        private List<String> upload(String scenario) throws Exception {
            List<String> ids = new ArrayList<>();
            long run = System.currentTimeMillis() % 100_000;
            for (int i = 0; i < synth.size(); i++) {
                String id = scenario + "-" + run + "-" + i;
                if (pipeline.upload(synth.get(i).file(), id)) {
                    ids.add(id);
                }
            }
            return ids;
        }

        private record Counts(int scored, int duplicates, int deadLetters) {
        }

        /** Reads the topics until every upload is scored or dead-lettered, or the timeout passes. */
        private Counts awaitCounts(List<String> ids) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Counts c = counts(ids::contains);
                if (c.scored + c.deadLetters >= ids.size() || System.nanoTime() > deadline) {
                    return c;
                }
                Thread.sleep(1000);
            }
        }

        private Counts counts(Predicate<String> ours) {
            Map<String, Integer> scores = new HashMap<>(); // upload id -> video-score records
            Map<String, String> videoOf = new HashMap<>();
            kafka.topicReader("faults").readToEnd(TopicCatalog.VIDEO_SCORES.name(), WireSerdes.videoScores().deserializer(),
                    (k, v) -> {
                        if (ours.test(v.getVideoId())) {
                            scores.merge(v.getUploadId(), 1, Integer::sum);
                            videoOf.put(v.getUploadId(), v.getVideoId());
                        }
                    });
            Set<String> dead = new HashSet<>();
            kafka.topicReader("faults").readToEnd(TopicCatalog.DLQ.name(), WireSerdes.deadLetters().deserializer(),
                    (k, d) -> {
                        if (k != null && ours.test(k)) {
                            dead.add(k);
                        }
                    });
            long scoredVideos = videoOf.values().stream().distinct().count();
            int duplicates = scores.values().stream().mapToInt(n -> n - 1).sum()
                    + (int) (videoOf.size() - scoredVideos); // the same video scored under two upload ids
            return new Counts((int) scoredVideos, duplicates, dead.size());
        }

        /** Videos per version in metrics-service's table. */
        private JsonNode versionCounts() throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(services.url("metrics") + "/versions"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            var counts = JSON.createObjectNode();
            if (r.statusCode() == 200) {
                for (JsonNode row : JSON.readTree(r.body())) {
                    counts.put(row.path("model_version").asText(), row.path("videos").asInt());
                }
            }
            return counts;
        }
    }

    /** Every topic a service reads, each sent a record that no reader can decode. */
    static final List<String> POISONED = List.of(TopicCatalog.UPLOADS.name(), TopicCatalog.UPLOAD_STATUS.name(),
            TopicCatalog.FRAGMENTS.name(), TopicCatalog.LABELS.name(), TopicCatalog.MODELS.name(),
            TopicCatalog.ROLLOUTS.name(), TopicCatalog.VIDEO_SCORES.name(), TopicCatalog.DLQ.name());

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
