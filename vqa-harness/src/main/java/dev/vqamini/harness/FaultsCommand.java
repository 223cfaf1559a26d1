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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.Comparator;

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
                "way through its chunks, as a pruning-service killed mid-publish leaves it, named at 50 %%), overlap (the",
                "faults of an outage together: 30 uploads, a scorer killed -9 after the first score, 5 more and ingest killed",
                "-9 at once, 5 more and the broker killed -9 five seconds later and restarted on its data, poison, the last 10).",
                "",
                "With --cluster: three broker processes (a KRaft cluster, every topic replicated 3 times, min.insync.replicas",
                "2) and the scenarios leader (the leader of vqa.fragments killed -9 mid-stream, restarted 10 s later),",
                "controller (a node that is not the active controller killed -9), active-controller (the active one),",
                "scale (a third scorer started mid-stream, then one stopped with SIGTERM) and pause (the leader of",
                "vqa.fragments frozen with SIGSTOP past the session timeouts, then resumed). After each, every partition,",
                "Kafka's internal ones included, must be back to three in-sync replicas.",
                "",
                "Each line also says how many videos metrics-service counted (each once, whatever the duplicates) and the",
                "longest gap between two videos scored from the fault on (what a rebalance or a failover costs)."})
public final class FaultsCommand implements Callable<Integer> {

    static final List<String> SCENARIOS = List.of("ingest", "scorer-one", "scorer-all", "sigterm", "broker",
            "metrics-state", "poison", "bad-version", "half-version", "overlap");
    static final List<String> CLUSTER_SCENARIOS = List.of("leader", "controller", "active-controller", "scale", "pause");
    /** Broker processes in a cluster run. */
    static final int CLUSTER_NODES = 3;
    /** SIGTERMs to the scorer in the sigterm scenario, and how long a service may take to stop after one. */
    static final int STOPS = 3;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the pause scenario freezes a broker: past the broker's (9 s) and the consumers' (10 s) sessions. */
    static final Duration PAUSE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--videos", defaultValue = "4", description = "Uploads per scenario (default ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", description = "Which scenarios, in order (default: all"
            + " of the single-broker matrix, or all of the cluster matrix with --cluster).")
    List<String> scenarios;

    @Option(names = "--cluster", description = "Three broker processes as one KRaft cluster, and the cluster scenarios.")
    boolean cluster;

    @Option(names = "--group-protocol", defaultValue = "classic", paramLabel = "classic|consumer",
            description = "The services' consumer group protocol: classic, or consumer (KIP-848) (default ${DEFAULT-VALUE}).")
    String groupProtocol;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run the scenarios N times in a row, as a soak (default ${DEFAULT-VALUE}).")
    int repeat;

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


    /** One scenario's counts. */
    public record Result(String scenario, int accepted, int scored, int duplicates, int deadLetters, int counted, int lost,
                         double recoverySeconds, double longestGapSeconds, boolean ready, String note) {

        Result withNote(boolean ok, String more) {
            String n = note.isEmpty() ? more : more.isEmpty() ? note : note + "; " + more;
            return new Result(scenario, accepted, scored, duplicates, deadLetters, counted, lost, recoverySeconds,
                    longestGapSeconds, ready && ok, n);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> known = cluster ? CLUSTER_SCENARIOS : SCENARIOS;
        List<String> chosen = scenarios == null ? known : scenarios;
        for (String s : chosen) {
            if (!known.contains(s)) {
                System.err.println("faults: unknown scenario '" + s + "'" + (cluster ? " with --cluster" : "") + "; known: "
                        + String.join(", ", known));
                return 2;
            }
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("vqa-faults");
        List<Result> results = new ArrayList<>();
        try (LocalPipeline pipeline = LocalPipeline.start(work, weights.definition(runtime.options()), "faults",
                cluster ? CLUSTER_NODES : 1, groupProtocol)) {
            List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults())
                    .generate(Files.createDirectories(work.resolve("videos")), videos, 7, v -> { });
            Scenarios run = new Scenarios(pipeline, synth);
            for (int round = 1; round <= repeat; round++) {
                for (String s : chosen) {
                    log("scenario " + s + (repeat > 1 ? " (round " + round + " of " + repeat + ")" : ""));
                    Result r = run.run(s);
                    results.add(r);
                    print(r);
                }
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
            System.out.printf("%-17s accepted %3d  scored %3d  duplicates %2d  dead letters %2d  counted %3d  lost %2d"
                            + "  recovered in %5.1f s  longest gap %5.1f s  %s%s%n",
                    r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.counted(), r.lost(),
                    r.recoverySeconds(), r.longestGapSeconds(), r.ready() ? "all ready" : "NOT READY",
                    r.note().isEmpty() ? "" : "  (" + r.note() + ")");
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
        private final BrokerCluster brokers;
        private final KafkaClientSettings kafka;
        private final List<SynthVideo> synth;
        private final Path work;
        private final String model;
        /** When the fault struck: recovery is counted from here. */
        private long faultAt;
        /** Uploads so far: every upload id is new. */
        private int uploads;
        /** Videos metrics-service counted before the scenario's uploads. */
        private int countedAtStart;
        /** The scorers running, oldest first, and how many were ever started (for new instance names). */
        private final List<String> scorers = new ArrayList<>(LocalPipeline.SCORERS);
        private int scorersStarted = LocalPipeline.SCORERS.size();
        private final UploadTally tally;

        Scenarios(LocalPipeline pipeline, List<SynthVideo> synth) {
            this.pipeline = pipeline;
            this.services = pipeline.services();
            this.brokers = pipeline.brokers();
            this.kafka = pipeline.kafka();
            this.synth = synth;
            this.work = pipeline.work();
            this.model = pipeline.stable().name();
            this.tally = new UploadTally(kafka, () -> services.url("metrics"), timeout);
        }

        Result run(String scenario) throws Exception {
            countedAtStart = tally.totalCounted();
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
                    brokers.node(1).kill();
                    Thread.sleep(3000);
                    brokers.node(1).restart();
                }, "");
                case "metrics-state" -> metricsState();
                case "poison" -> fault(scenario, this::poison, "undecodable records on " + POISONED.size() + " topics");
                case "bad-version" -> badVersion();
                case "half-version" -> halfVersion();
                case "overlap" -> overlap();
                case "leader" -> nodeDown(scenario, () -> brokers.leaderOf(kafka, TopicCatalog.FRAGMENTS.name(), 0),
                        Duration.ofSeconds(10));
                case "controller" -> nodeDown(scenario, this::followerController, Duration.ofSeconds(5));
                case "active-controller" -> nodeDown(scenario, () -> brokers.activeController(kafka), Duration.ofSeconds(5));
                case "scale" -> scale();
                case "pause" -> pause();
                default -> throw new IllegalArgumentException(scenario);
            };
        }

        private void awaitFirstScore(String scenario) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (tally.counts(id -> id.startsWith(scenario + "-")).scored() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }

        private void restart(String instance) throws Exception {
            services.kill(instance);
            services.restart(instance);
        }

        /** Uploads, then the fault (right after the 202s, or mid-stream), then counts until every upload is scored or dead-lettered. */
        private Result fault(String scenario, ThrowingRunnable fault, String note) throws Exception {
            List<String> ids = upload(scenario, videos);
            faultAt = System.nanoTime(); // unless the fault waits for its moment and sets it
            fault.run();
            return settle(scenario, ids, faultAt, note);
        }

        private Result settle(String scenario, List<String> ids, long t0, String note) throws Exception {
            UploadTally.Counts c = tally.awaitCounts(ids);
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean ready = true;
            try {
                services.awaitReady(Duration.ofMinutes(2));
            } catch (IllegalStateException e) {
                ready = false;
                note = (note.isEmpty() ? "" : note + "; ") + e.getMessage();
            }
            int counted = tally.awaitCounted(countedAtStart + c.scored()) - countedAtStart;
            long faultMs = System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000;
            return new Result(scenario, ids.size(), c.scored(), c.duplicates(), c.deadLetters(), counted,
                    ids.size() - c.scored() - c.deadLetters(), seconds, c.longestGapSeconds(faultMs), ready, note);
        }

        /**
         * A broker node (the one {@code which} names when the fault strikes) killed -9 mid-stream and started again
         * on its data after {@code down}; afterwards every partition, internal ones included, must be back to three
         * in-sync replicas.
         */
        private Result nodeDown(String scenario, Callable<BrokerProcess> which, Duration down) throws Exception {
            List<String> ids = upload(scenario, videos);
            awaitFirstScore(scenario);
            BrokerProcess node = which.call();
            faultAt = System.nanoTime();
            node.kill();
            Thread.sleep(down.toMillis());
            node.restart();
            long back = System.nanoTime();
            Result r = settle(scenario, ids, faultAt, "node " + node.nodeId() + " killed, back after " + down.toSeconds() + " s");
            return fullyReplicated(r, back);
        }

        /** A node that is not the active controller (nor, when it can be helped, the leader of vqa.fragments-0). */
        private BrokerProcess followerController() throws Exception {
            int active = brokers.activeController(kafka).nodeId();
            int leader = brokers.leaderOf(kafka, TopicCatalog.FRAGMENTS.name(), 0).nodeId();
            return brokers.nodes().stream().filter(n -> n.nodeId() != active && n.nodeId() != leader).findFirst()
                    .orElseGet(() -> brokers.nodes().stream().filter(n -> n.nodeId() != active).findFirst().orElseThrow());
        }

        /**
         * Every partition of every topic (Kafka's and Streams' internal ones too) back to three in-sync replicas; the note
         * says how long after the node came back ({@code backAt}, nanoTime).
         */
        private Result fullyReplicated(Result r, long backAt) throws Exception {
            var behind = brokers.awaitFullyReplicated(kafka, Duration.ofMinutes(2));
            return r.withNote(behind.isEmpty(), behind.orElse(String.format(Locale.ROOT,
                    "every partition back to 3 in-sync replicas at most %.0f s after the node came back", (System.nanoTime() - backAt) / 1e9)));
        }

        /**
         * Scaling: a third scorer joins mid-stream, and once it is ready the oldest one is stopped with SIGTERM for
         * good (a scale-in): two rebalances while videos are in work. The next scenario runs on the two left.
         */
        private Result scale() throws Exception {
            String scenario = "scale";
            List<String> ids = upload(scenario, 2 * videos);
            awaitFirstScore(scenario);
            faultAt = System.nanoTime();
            String joining = "scorer-" + (char) ('a' + scorersStarted++);
            services.start("scorer-service", joining, Map.of("vqa.scorer.threads", "1"));
            services.awaitReady(joining, Duration.ofMinutes(2));
            scorers.add(joining);
            Thread.sleep(2000);
            String leaving = scorers.remove(0);
            long t0 = System.nanoTime();
            int exit = services.remove(leaving, STOP_TIMEOUT);
            String note = String.format(Locale.ROOT, "%s joined; %s stopped (exit %d in %.1f s)", joining, leaving, exit,
                    (System.nanoTime() - t0) / 1e9);
            return settle(scenario, ids, faultAt, note).withNote(exit == 143 || exit == 0, "");
        }

        /**
         * The leader of vqa.fragments-0 frozen with SIGSTOP for longer than the broker and consumer session timeouts
         * (it holds its sockets and answers nothing, as a host cut off by the network), then resumed: its leadership
         * moves, and when it comes back it must follow, not lead with stale data.
         */
        private Result pause() throws Exception {
            String scenario = "pause";
            List<String> ids = upload(scenario, videos);
            awaitFirstScore(scenario);
            BrokerProcess node = brokers.leaderOf(kafka, TopicCatalog.FRAGMENTS.name(), 0);
            faultAt = System.nanoTime();
            node.pause();
            Thread.sleep(PAUSE.toMillis());
            node.resume();
            long back = System.nanoTime();
            Result r = settle(scenario, ids, faultAt, "node " + node.nodeId() + " paused " + PAUSE.toSeconds() + " s");
            return fullyReplicated(r, back);
        }

        /**
         * The faults of an outage, overlapping: 10 uploads and a scorer killed -9 after the first score, 5 more and
         * ingest killed -9 right after their 202s, 5 more and the broker killed -9 five seconds later and restarted on
         * its data, poison on every topic a service reads, then the last 10. Every upload must end with a score.
         */
        private Result overlap() throws Exception {
            String scenario = "overlap";
            List<String> ids = new ArrayList<>(upload(scenario, 10));
            awaitFirstScore(scenario);
            faultAt = System.nanoTime();
            services.kill("scorer-a");
            services.restart("scorer-a");
            ids.addAll(upload(scenario, 5));
            restart("ingest");
            services.awaitReady("ingest", Duration.ofMinutes(2)); // the client retries until ingest is back
            ids.addAll(upload(scenario, 5));
            Thread.sleep(5000);
            brokers.node(1).kill();
            brokers.node(1).restart();
            poison();
            ids.addAll(upload(scenario, 10));
            return settle(scenario, ids, faultAt, "");
        }

        /**
         * A scoring scorer stopped with SIGTERM, {@link #STOPS} times, then ingest (cutting) and metrics-service once
         * each, every one started again after its stop: every stop must end within {@link #STOP_TIMEOUT} with a clean
         * exit (143 after SIGTERM, or 0), no crash report, and nothing lost (what was in flight is left uncommitted
         * and done again).
         */
        private Result sigterm() throws Exception {
            String scenario = "sigterm";
            List<String> ids = upload(scenario, videos);
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
            return r.withNote(clean, clean ? "" : "a stop was not clean");
        }

        /** metrics-service killed and its local state deleted: the per-version table comes back equal. */
        private Result metricsState() throws Exception {
            List<String> ids = upload("metrics-state", videos);
            tally.awaitCounts(ids);
            JsonNode before = tally.versionCounts();
            while (!before.equals(tally.versionCounts())) { // settled: every score counted
                Thread.sleep(1000);
                before = tally.versionCounts();
            }
            long t0 = System.nanoTime();
            services.kill("metrics");
            deleteTree(work.resolve("streams"));
            services.restart("metrics");
            services.awaitReady("metrics", Duration.ofMinutes(3));
            JsonNode after = tally.versionCounts();
            for (long deadline = System.nanoTime() + timeout.toNanos(); !before.equals(after) && System.nanoTime() < deadline; ) {
                Thread.sleep(1000);
                after = tally.versionCounts();
            }
            Result r = settle("metrics-state", ids, t0, "");
            boolean equal = before.equals(after);
            return new Result(r.scenario(), r.accepted(), r.scored(), r.duplicates(), r.deadLetters(), r.counted(),
                    r.lost() + (equal ? 0 : 1), r.recoverySeconds(), r.longestGapSeconds(), r.ready(),
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
            List<String> ids = upload("half-version", videos);
            Result r = settle("half-version", ids, System.nanoTime(), "");
            writeRollout(before.toBuilder().setRevision(named.getRevision() + 1).build());
            return r.withNote(true, version + ": " + (chunks.size() / 2) + " of " + chunks.size()
                    + " chunks; " + refusal + "; named at 50 % past it, never served; " + tally.scoredBy(ids));
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
            List<String> ids = upload(scenario, videos);
            Result r = settle(scenario, ids, System.nanoTime(), "");
            rollouts.apply(model, RolloutEdits.canary(version, 0.0));
            return r.withNote(true, version + " at 50 %, " + what + "; " + tally.scoredBy(ids));
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

        /** {@code count} uploads of the synthetic videos in turn, each under a new id. */
        private List<String> upload(String scenario, int count) throws Exception {
            List<String> ids = new ArrayList<>();
            long run = System.currentTimeMillis() % 100_000;
            for (int i = 0; i < count; i++) {
                String id = scenario + "-" + run + "-" + uploads++;
                if (pipeline.upload(synth.get(i % synth.size()).file(), id)) {
                    ids.add(id);
                }
            }
            return ids;
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
