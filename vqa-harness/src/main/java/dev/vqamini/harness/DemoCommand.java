package dev.vqamini.harness;

import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.cli.RuntimeOptions;
import dev.vqamini.cli.TokenOption;
import dev.vqamini.cli.WeightsOption;
import dev.vqamini.release.ModelRelease;
import dev.vqamini.kafka.KafkaClientSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.kafka.TopicBootstrap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * {@code vqa demo}: the whole product on one machine: an embedded Kafka broker, the four services as separate
 * processes, the stable model published, synthetic uploads through ingest-service, a pruned candidate from
 * pruning-service rolled out at 50 %, more uploads, and the per-version table with the verdict from metrics-service.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the real system end to end on this machine:",
                "  embedded Kafka (KRaft) + ingest-, scorer-, pruning- and metrics-service as processes;",
                "  the stable model on vqa.models (--weights, else the bootstrap model), synthetic videos with pseudo-MOS",
                "  uploaded through ingest-service, a layer-specific+channel version pruned by pruning-service and rolled",
                "  out as a 50 %% canary, more uploads, then per version: videos, SRCC/PLCC with 95 %% intervals, p50/p99",
                "  end-to-end latency, clips/s, parameters, FLOPs, and the canary's verdict. Bad input is shown too: a text",
                "  file uploaded as a video goes to vqa.dlq, and a damaged version (shadow) is refused while the others serve.",
                "With --prometheus, Debian's prometheus runs with deploy/prometheus (scrape config and rules) pointed at the",
                "services, from their start, so every dashboard and alert query has data (`vqa check-queries`).",
                "The first per-version table (the stable version alone) comes right after the first batch; the pruning job,",
                "the canary and the rollout walks follow. Progress is one line per stage, stamped with the seconds since",
                "the start, and the stages' times are printed at the end; each service logs to a file in the folder",
                "printed at the start.",
                "With --once everything stops at the end (exit 0, or 1 with the failed stage); without it the system",
                "keeps running and every endpoint is printed; Ctrl-C stops it all."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the demo ran (or was stopped)", "1:a stage failed (named on stderr)", "2:too few --videos"})
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_VIDEOS = 5;

    @Option(names = "--videos", defaultValue = "8", description = "Videos uploaded before and again after the canary (default ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--once", description = "Stop everything and exit when the table is printed.")
    boolean once;

    @Option(names = "--no-rollouts", description = "Leave out the automatic rollout walks at the end (about 4 minutes on 2 cores).")
    boolean noRollouts;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic videos (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--target-params", defaultValue = "0.3", paramLabel = "F",
            description = "Fraction of the parameters the pruned candidate keeps (default ${DEFAULT-VALUE}).")
    double targetParams;

    @Option(names = "--prometheus", description = "Also run Prometheus with deploy/prometheus/prometheus.yml and its rules, targets on this host.")
    boolean prometheus;

    @Option(names = "--prometheus-bin", defaultValue = "prometheus", paramLabel = "FILE",
            description = "The prometheus executable (default: ${DEFAULT-VALUE} on PATH; Debian: apt-get install prometheus).")
    String prometheusBin;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder: videos, bundles, service logs (default: a new temporary folder).")
    Path dir;

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    TokenOption token;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int stage;
    /** When the demo and the current stage began, and each finished stage's seconds (printed at the end). */
    private final long started = System.nanoTime();
    private long stageStarted = started;
    private final List<String> stageTimes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (videos < MIN_VIDEOS) {
            System.err.println("demo: --videos " + videos + " is too few: the pruning job calibrates on the first batch and needs "
                    + MIN_VIDEOS + " (3 to fit the heads, 2 held out)");
            return 2;
        }
        Path root = ServiceProcesses.root();
        List<String> missing = ServiceProcesses.missing(root);
        if (!missing.isEmpty()) {
            System.err.println("demo: services not built: " + missing + " (./vqa builds them; or ./mvnw -B package -DskipTests)");
            return 1;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("vqa-demo");
        Path logs = work.resolve("logs");
        String current = "starting";
        DemoSecurity security = new DemoSecurity();
        try (LocalKafkaBroker broker = LocalKafkaBroker.startSecured(security.brokerUsers())) {
            String kafka = broker.bootstrapServers();
            KafkaClientSettings clients = security.admin(broker);
            say("Kafka (KRaft, embedded, SASL_SSL with a SCRAM user and ACLs per service) on " + kafka + "; work folder "
                    + work + ", service logs in " + logs);
            TopicBootstrap.ensureCatalog(clients, Duration.ofSeconds(30), (short) 1);
            security.grantAcls(clients);

            current = "publishing the stable model";
            say(current);
            ModelDefinition stable = weights.definition(runtime.options());
            Path stableBundle = work.resolve("models").resolve(stable.version());
            // Versions are signed (Ed25519) and the scorer serves only signed ones.
            Path keys = Files.createDirectories(work.resolve("keys"));
            KeyPair signing = ManifestSignature.newKeyPair();
            ManifestSignature.writeKeys(signing, keys.resolve("signing.pem"), keys.resolve("verify.pem"));
            // Every mutating endpoint takes a bearer JWT; the demo's own calls use an operator token.
            String operatorToken = security.writeFiles(keys, broker);
            if (token.token().isEmpty()) {
                token.token = operatorToken;
            }
            Path jwtKey = keys.resolve("jwt-public.pem");
            ModelRelease.publishStable(clients, ModelBundle.write(stable, stableBundle).serving(), signing.getPrivate());
            say("    " + stable.version() + (weights.path() == null ? " (bootstrap model: not the published DOVER-Mobile)" : ""));

            current = "starting the four services";
            say(current);
            Path videosDir = Files.createDirectories(work.resolve("videos"));
            LocalPrometheus prom = null;
            try (ServiceProcesses services = new ServiceProcesses(root, logs, kafka)) {
                String ingest = services.start("ingest-service", "ingest-service", Map.of("vqa.ingest.allowed-roots", videosDir.toString(),
                        "vqa.ingest.workers", "1", "vqa.ingest.spool-dir", work.resolve("spool").toString()), security.environment("ingest-service", broker, jwtKey));
                String scorer = services.start("scorer-service", "scorer-service", Map.of("vqa.scorer.threads", "2",
                        "vqa.models.verify-key", keys.resolve("verify.pem").toString()),
                        security.environment("scorer-service", broker, jwtKey));
                String pruning = services.start("pruning-service", "pruning-service", Map.of("vqa.prune.work-dir",
                        work.resolve("pruned").toString(), "vqa.prune.threads", "2",
                        "vqa.prune.allowed-roots", work.resolve("models").toString(),
                        "vqa.prune.sign-key", keys.resolve("signing.pem").toString()),
                        security.environment("pruning-service", broker, jwtKey));
                String metrics = services.start("metrics-service", "metrics-service", Map.of("vqa.metrics.refresh", "2s",
                        "kafka-streams.state.dir", work.resolve("streams").toString(), "vqa.rollout.controller.interval", "1s"),
                        security.environment("metrics-service", broker, jwtKey));
                services.awaitReady(Duration.ofMinutes(5));
                say("    ready: ingest " + ingest + ", scorer " + scorer + ", pruning " + pruning + ", metrics " + metrics);
                if (prometheus) {
                    current = "starting Prometheus";
                    prom = LocalPrometheus.start(prometheusBin, root.resolve("deploy"), services.ports(), work.resolve("prometheus"),
                            ServiceProcesses.freePort());
                    say("    Prometheus " + prom.api().baseUrl() + " (deploy/prometheus/prometheus.yml and rules, targets on this host)");
                }

                current = "generating " + 2 * videos + " synthetic videos with pseudo-MOS";
                say(current);
                List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults()).generate(videosDir, 2 * videos, seed, v -> { });

                current = "uploading " + videos + " videos through ingest-service";
                say(current);
                upload(ingest, synth.subList(0, videos));
                Path broken = Files.writeString(videosDir.resolve("broken-upload.mp4"), "not a video, only text named like one\n");
                String brokenStatus = upload(ingest, broken, null);
                awaitScored(metrics, videos, Duration.ofMinutes(10));
                JsonNode dead = awaitSettled(ingest + brokenStatus, Duration.ofMinutes(1));
                say("    " + broken.getFileName() + " (a text file): " + dead.path("state").asText() + ", on vqa.dlq: "
                        + dead.path("reason").asText());
                Thread.sleep(2500); // one table refresh
                current = "reading the per-version table (the stable version alone)";
                say(current);
                printTable(get(metrics + "/versions"), JSON.createArrayNode());

                current = "pruning a layer-specific+channel candidate (pruning-service)";
                say(current);
                String candidate = prune(pruning, stableBundle, videos);
                say("    " + candidate + " on vqa.models, canary at 50 %");

                current = "uploading " + videos + " more videos (half of them to the canary)";
                say(current);
                waitServing(scorer, candidate, Duration.ofMinutes(3));
                upload(ingest, synth.subList(videos, 2 * videos));
                awaitScored(metrics, 2 * videos, Duration.ofMinutes(10));

                current = "publishing a damaged version as shadow";
                say(current + " (its archive cut off halfway)");
                String damaged = stable.version() + "-damaged";
                byte[] whole = ModelBundle.zip(stableBundle);
                ModelPublisher.publish(clients, stable.name(), damaged, Arrays.copyOf(whole, whole.length / 2));
                new RolloutWriter(clients).apply(stable.name(), RolloutEdits.shadow(damaged, 0.1));
                say("    " + awaitRefused(scorer, damaged, Duration.ofMinutes(2)));
                Thread.sleep(2500); // one gauge refresh, so /q/metrics shows the same numbers

                current = "reading the per-version table (stable and the pruned canary)";
                say(current);
                printTable(get(metrics + "/versions"), get(metrics + "/comparison"));

                if (!noRollouts) {
                    current = "automatic rollouts (the rollout controller in metrics-service)";
                    say(current + ": a candidate equal to stable, then one with inverted heads; the pruned canary steps aside");
                    RolloutWriter writer = new RolloutWriter(clients);
                    writer.apply(stable.name(), RolloutEdits.canary(candidate, 0)); // one plan at a time
                    Rollouts walks = new Rollouts(clients, writer, ingest, metrics, work, signing.getPrivate(), synth);
                    walks.walk(stable.withVersion(stable.version() + "-rerelease",
                            Map.of("notes", "the stable weights as a new version: the demo's good candidate")), "promote");
                    walks.walk(invertedHeads(stable), "roll_back");
                }
                endStage();
                System.out.printf(Locale.ROOT, "demo: %.0f s in all; stages %s%n", seconds(started), String.join(", ", stageTimes));
                if (!once) {
                    say("running; Ctrl-C stops everything. Endpoints:");
                    for (String s : List.of(ingest, scorer, pruning, metrics)) {
                        say("    " + s + "  (/q/health, /q/metrics" + (s.equals(ingest) ? ", POST /videos" : s.equals(scorer)
                                ? ", GET /models" : s.equals(pruning) ? ", POST/GET /prune-jobs" : ", GET /versions, /comparison, /scores/{id}") + ")");
                    }
                    say("    Kafka " + kafka + " (SASL_SSL; as its admin: set -a; . " + keys.resolve("kafka-admin.env") + "; ./vqa rollout show)");
                    say("    writes need the bearer token in " + keys.resolve("operator.jwt") + ": curl -H \"Authorization: Bearer $(cat "
                            + keys.resolve("operator.jwt") + ")\" -F file=@my.mp4 " + ingest + "/videos");
                    if (prom != null) {
                        say("    " + prom.api().baseUrl() + "  Prometheus (./vqa check-queries --prometheus " + prom.api().baseUrl() + ")");
                    }
                    Thread.currentThread().join();
                }
            } finally {
                if (prom != null) {
                    prom.close();
                }
            }
            return 0;
        } catch (InterruptedException e) {
            System.out.println("demo: stopped");
            return 0;
        } catch (Exception e) {
            System.err.println("demo: failed while " + current + ": " + e.getMessage() + " (logs in " + logs + ")");
            return 1;
        }
    }

    /** The stable weights with both heads' last layers negated: scores in reverse order, the demo's bad candidate. */
    private static ModelDefinition invertedHeads(ModelDefinition stable) {
        Map<String, Tensor> tensors = new LinkedHashMap<>(stable.weights().tensors());
        tensors.replaceAll((key, t) -> {
            if (!key.contains("head.fc_last")) {
                return t;
            }
            float[] negated = t.data().clone();
            for (int i = 0; i < negated.length; i++) {
                negated[i] = -negated[i];
            }
            return new Tensor(t.shape(), negated);
        });
        return new ModelDefinition(stable.name(), stable.version() + "-inverted-heads", stable.spec(),
                new StateDict(stable.weights().source() + " (heads inverted)", tensors), stable.fusion(),
                Map.of("notes", "heads inverted on purpose: the demo's bad candidate"));
    }

    /** Plans candidates and feeds videos until the controller promotes or rolls them back, printing its decisions. */
    private final class Rollouts {
        private static final int STEP_VIDEOS = 5;
        private final KafkaClientSettings clients;
        private final RolloutWriter writer;
        private final String ingest;
        private final String metrics;
        private final Path work;
        private final PrivateKey signKey;
        private final List<SynthVideo> synth;
        private int uploaded;
        private int shown;

        Rollouts(KafkaClientSettings clients, RolloutWriter writer, String ingest, String metrics, Path work,
                 PrivateKey signKey, List<SynthVideo> synth) throws Exception {
            this.clients = clients;
            this.writer = writer;
            this.ingest = ingest;
            this.metrics = metrics;
            this.work = work;
            this.signKey = signKey;
            this.synth = synth;
            this.uploaded = scored(metrics);
        }

        void walk(ModelDefinition model, String expected) throws Exception {
            Path dir = work.resolve("models").resolve(model.version());
            ModelRelease.publish(clients, ModelBundle.write(model, dir).serving(), signKey);
            // Cost gates off (a margin of 0): five videos a step on a shared machine are too few to judge latency by,
            // and a gate without evidence pauses the plan. Quality decides here; the controller's tests cover cost.
            RolloutPlans.Request plan = RolloutPlans.request(model.version(), List.of(0.0, 50.0)).minVideos(STEP_VIDEOS)
                    .minSeconds(0L).maxLatencyIncrease(0.0).maxThroughputDecrease(0.0).shadowFraction(1.0);
            writer.apply(model.name(), plan.edit(System.currentTimeMillis()));
            RolloutGates gates = plan.gates();
            say("    " + model.version() + ": planned 0 % (shadow only) -> 50 %, at least " + STEP_VIDEOS
                    + " paired videos per step; agreement >= " + gates.getMinAgreementSrcc() + " rolled back with probability <= "
                    + gates.getAlpha() + ", <= " + (gates.getMinAgreementSrcc() - gates.getIndifference())
                    + " promoted with probability <= " + gates.getBeta() + " (sequential gates; cost gates off)");
            // a near-equal candidate needs about 20 paired videos to pass, an inverted one about 10 to fail
            for (int batch = 0; batch < 12; batch++) {
                for (int i = 0; i < STEP_VIDEOS; i++) {
                    SynthVideo v = synth.get(uploaded % synth.size());
                    upload(ingest, v.file(), v.mos(), "rollout-" + uploaded + "-" + v.file().getFileName());
                    uploaded++;
                }
                awaitScored(metrics, uploaded, Duration.ofMinutes(5));
                // the controller decides every second once the pairs are in its store: a few ticks are enough
                for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; ) {
                    String action = newDecisions(model.name(), model.version());
                    if (action != null) {
                        if (!action.equals(expected)) {
                            throw new IllegalStateException(model.version() + ": the controller decided " + action
                                    + ", expected " + expected);
                        }
                        return;
                    }
                    Thread.sleep(500);
                }
            }
            throw new IllegalStateException(model.version() + ": no " + expected + " after " + uploaded + " videos");
        }

        /** Prints the decisions not shown yet; returns the final one for {@code version} if it came. */
        private String newDecisions(String modelName, String version) throws Exception {
            JsonNode all = get(metrics + "/rollouts/decisions?model=" + URLEncoder.encode(modelName,
                    StandardCharsets.UTF_8));
            String last = null;
            for (; shown < all.size(); shown++) {
                JsonNode d = all.get(shown);
                String action = d.path("action").asText();
                if (action.equals("hold") || !d.path("candidate").asText().equals(version)) {
                    continue;
                }
                StringBuilder gates = new StringBuilder();
                for (JsonNode g : d.path("gates")) {
                    if (!g.path("outcome").asText().equals("skipped")) {
                        gates.append(String.format(" %s %s%s%s", g.path("name").asText(), g.path("outcome").asText(),
                                g.path("value").isNumber() ? String.format(" (%.3f, n=%d)", g.path("value").asDouble(),
                                        g.path("n").asInt()) : "",
                                g.path("fail_at").isNumber() && g.path("pass_at").isNumber() ? String.format(
                                        " [rolls back at <= %.3f, passes at >= %.3f]", g.path("fail_at").asDouble(),
                                        g.path("pass_at").asDouble()) : ""));
                    }
                }
                say(String.format("    decision: %s at step %d (%.0f %%):%s; %s", action, d.path("step").asInt(),
                        100 * d.path("traffic_weight").asDouble(), gates, d.path("reason").asText()));
                if (!action.equals("step_up")) {
                    last = action;
                }
            }
            return last;
        }
    }

    private int scored(String metrics) throws Exception {
        int scored = 0;
        for (JsonNode row : get(metrics + "/versions")) {
            scored += row.get("videos").asInt();
        }
        return scored;
    }

    private void upload(String ingest, List<SynthVideo> videos) throws Exception {
        for (SynthVideo v : videos) {
            upload(ingest, v.file(), v.mos());
        }
    }

    /** Uploads one file by URI (JSON), again while ingest answers 503; returns its status path. */
    private String upload(String ingest, Path file, Double mos) throws Exception {
        return upload(ingest, file, mos, file.getFileName().toString());
    }

    private String upload(String ingest, Path file, Double mos, String id) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uri", file.toUri().toString());
        body.put("id", id);
        if (mos != null) {
            body.put("mos", mos);
            body.put("dataset", "synthetic");
        }
        while (true) {
            HttpResponse<String> r = http.send(token.authorize(HttpRequest.newBuilder(URI.create(ingest + "/videos")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                return JSON.readTree(r.body()).get("status_url").asText();
            }
            if (r.statusCode() != 503) {
                throw new IllegalStateException("ingest refused " + file.getFileName() + ": " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(1000); // Retry-After
        }
    }

    /** Polls an upload's status until ingest-service has published or dead-lettered it. */
    private JsonNode awaitSettled(String statusUrl, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = get(statusUrl);
            String state = status.path("state").asText();
            if (state.equals("published") || state.equals("failed") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(500);
        }
    }

    /** Waits until scorer-service reports {@code version} refused; returns what it says of its versions. */
    private String awaitRefused(String scorer, String version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode models = get(scorer + "/models");
            if (models.path("waiting").path(version).asText().equals("refused")) {
                return version + " refused by scorer-service (reason on vqa.dlq); serving " + models.path("serving");
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("scorer-service did not refuse " + version + " within " + timeout.toSeconds() + " s");
    }

    private void awaitScored(String metrics, int total, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (true) {
            int scored = scored(metrics);
            if (scored != last) {
                System.out.printf("\r    %d of %d videos scored", scored, total);
                last = scored;
            }
            if (scored >= total) {
                System.out.println();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(scored + " of " + total + " videos scored after " + timeout.toMinutes() + " min");
            }
            Thread.sleep(1000);
        }
    }

    private String prune(String pruning, Path parent, int sample) throws Exception {
        Map<String, Object> body = Map.of("recipe", "layer-specific+channel", "targetParams", targetParams,
                "weights", parent.toString(), "fragmentSample", sample, "canaryWeight", 0.5);
        HttpResponse<String> r = http.send(token.authorize(HttpRequest.newBuilder(URI.create(pruning + "/prune-jobs")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("pruning-service refused the job: " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        String url = location.startsWith("http") ? location : pruning + location;
        int shown = 0;
        while (true) {
            JsonNode job = get(url);
            JsonNode progress = job.get("progress");
            for (; progress != null && shown < progress.size(); shown++) {
                say("    " + progress.get(shown).asText());
            }
            String state = job.get("state").asText();
            if (state.equals("SUCCEEDED")) {
                return job.get("version").asText();
            }
            if (state.equals("FAILED")) {
                throw new IllegalStateException("prune job failed: " + job.get("error").asText());
            }
            Thread.sleep(2000);
        }
    }

    private void waitServing(String scorer, String version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode v : get(scorer + "/models").path("serving")) {
                if (v.asText().equals(version)) {
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("scorer-service does not serve " + version + " after " + timeout.toSeconds() + " s");
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static void printTable(JsonNode versions, JsonNode comparisons) {
        System.out.printf("%-58s %-9s %6s %6s %5s %-22s %6s %8s %8s %7s %11s %9s%n", "model version", "role", "weight", "videos",
                "n", "SRCC [95 % CI]", "PLCC", "p50 e2e", "p99 e2e", "clips/s", "parameters", "GFLOPs");
        for (JsonNode r : versions) {
            JsonNode ci = r.get("srcc_ci");
            String srcc = r.get("srcc").isNull() ? "n/a (too few)" : String.format("%.3f [%.2f, %.2f]", r.get("srcc").asDouble(),
                    ci.isNull() ? Double.NaN : ci.get(0).asDouble(), ci.isNull() ? Double.NaN : ci.get(1).asDouble());
            System.out.printf("%-58s %-9s %6.2f %6d %5d %-22s %6s %7.1fs %7.1fs %7.2f %11s %9s%n", r.get("model_version").asText(),
                    r.get("role").asText(), r.get("traffic_weight").asDouble(), r.get("videos").asLong(), r.get("labelled").asInt(),
                    srcc, r.get("plcc").isNull() ? "n/a" : String.format("%.3f", r.get("plcc").asDouble()),
                    r.get("p50_e2e_s").asDouble(), r.get("p99_e2e_s").asDouble(), r.get("clips_per_s").asDouble(),
                    r.get("parameters").isNull() ? "?" : String.format("%,d", r.get("parameters").asLong()),
                    r.get("flops_per_clip").isNull() ? "?" : String.format("%.2f", r.get("flops_per_clip").asLong() / 1e9));
        }
        for (JsonNode c : comparisons) {
            JsonNode ci = c.get("srcc_difference_ci");
            JsonNode paired = c.get("paired");
            String pairs = paired == null || paired.isNull() ? "" : String.format("; on %d shadow-paired videos: agreement SRCC %s",
                    paired.get("pairs").asInt(), paired.get("agreement_srcc").isNull() ? "n/a" : String.format("%.3f", paired.get("agreement_srcc").asDouble()));
            System.out.printf("canary %s vs stable %s: SRCC difference %s, verdict: %s%s%n", c.get("candidate").asText(),
                    c.get("stable").asText(), c.get("srcc_difference").isNull() ? "n/a"
                            : String.format("%+.3f [%+.2f, %+.2f]", c.get("srcc_difference").asDouble(), ci.get(0).asDouble(), ci.get(1).asDouble()),
                    c.get("verdict").asText(), pairs);
        }
    }

    /** Prints a line; an unindented one starts the next numbered stage, stamped with the seconds since the start. */
    private void say(String line) {
        if (line.startsWith("    ")) {
            System.out.println(line);
            return;
        }
        endStage();
        System.out.printf(Locale.ROOT, "%d. [%5.1f s] %s%n", ++stage, seconds(started), line);
    }

    /** Records how long the current stage took. */
    private void endStage() {
        if (stage > 0) {
            stageTimes.add(String.format(Locale.ROOT, "%d: %.1f s", stage, seconds(stageStarted)));
        }
        stageStarted = System.nanoTime();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
