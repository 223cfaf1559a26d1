package dev.vqamini.harness;

import dev.vqamini.cli.TokenOption;
import dev.vqamini.release.ModelRelease;
import dev.vqamini.kafka.KafkaClientSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.files.FileScorer;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.views.ViewSettings;
import dev.vqamini.wire.FragmentRecords;
import dev.vqamini.kafka.LargeRecordSettings;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.SourceMetadata;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.vqamini.model.bundle.ModelLoader;

/**
 * {@code vqa bench --scorer} and {@code --pipeline}: the services' throughput beside the model-only throughput of the
 * same version in the same run, with one and two scorer instances. {@code --scorer}: fragments pre-loaded on
 * vqa.fragments, clips per second of scorer-service alone. {@code --pipeline}: videos uploaded to ingest-service, videos
 * per second from the first upload to the last score, beside decode + sampling + model in one process.
 */
final class ServiceBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int videos;
    private final int threads;
    private final Path work;
    private final ModelDefinition model;
    private final Path bundle;
    private TokenOption token = TokenOption.none();

    /** @param bundle the model's bundle directory, published and served as it is (INT8 graphs too), or null: write one */
    ServiceBench(int videos, int threads, Path work, ModelDefinition model, Path bundle) {
        this.videos = videos;
        this.threads = threads;
        this.work = work;
        this.model = model;
        this.bundle = bundle;
    }

    /** The bearer token for POST /videos (services started with vqa.auth.enabled=true in the environment). */
    ServiceBench withToken(TokenOption token) {
        this.token = token;
        return this;
    }

    /** Rows: what was measured, throughput, fraction of model-only. */
    List<Map<String, Object>> run(boolean pipeline) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        Path videosDir = Files.createDirectories(work.resolve("videos"));
        System.err.println("bench: generating " + videos + " synthetic videos");
        List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults()).generate(videosDir, videos, 5, v -> { });
        RunnerOptions options = RunnerOptions.defaults().withThreads(threads);
        double modelOnly;
        List<VideoViews> views = new ArrayList<>();
        try (QualityModel m = bundle != null ? ModelLoader.qualityModel(bundle, options)
                : new QualityModel(model, options)) {
            FileScorer files = new FileScorer(m, ViewSettings.defaults(), 0);
            files.score(synth.get(0).file()); // warm-up
            long t0 = System.nanoTime();
            for (SynthVideo v : synth) {
                if (pipeline) {
                    files.score(v.file());
                } else {
                    VideoViews vv = new ViewSampler().sample(v.file(), 0);
                    views.add(vv);
                }
            }
            if (!pipeline) {
                t0 = System.nanoTime();
                for (VideoViews vv : views) {
                    m.score(vv.technical(), vv.aesthetic());
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            modelOnly = (pipeline ? videos : 4.0 * videos) / seconds;
        }
        String unit = pipeline ? "videos/s" : "clips/s";
        rows.add(row(pipeline ? "in-process decode + views + model" : "model only (same version, same clips)", modelOnly, unit, 1.0));
        System.err.printf("bench: %s %.3f %s%n", rows.get(0).get("what"), modelOnly, unit);
        for (int instances : new int[] {1, 2}) {
            double rate = services(pipeline, synth, views, instances);
            rows.add(row((pipeline ? "ingest + scorer through Kafka, " : "scorer-service, ") + instances + " instance"
                    + (instances > 1 ? "s" : ""), rate, unit, rate / modelOnly));
            System.err.printf("bench: %d scorer instance(s): %.3f %s (%.2f of model-only)%n", instances, rate, unit, rate / modelOnly);
        }
        return rows;
    }

    private double services(boolean pipeline, List<SynthVideo> synth, List<VideoViews> views, int instances) throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.startEphemeral()) {
            String kafka = broker.bootstrapServers();
            KafkaClientSettings clients = KafkaClientSettings.plaintext(kafka, "vqa-bench");
            TopicBootstrap.ensureCatalog(clients, Duration.ofSeconds(30), (short) 1);
            ModelRelease.publishStable(clients, ModelBundle.servingOf(model, bundle != null ? bundle : work.resolve("models").resolve(model.version())), null);
            if (!pipeline) {
                preload(kafka, views);
            }
            try (ServiceProcesses services = new ServiceProcesses(ServiceProcesses.root(), work.resolve("logs-" + instances), kafka)) {
                String ingest = null;
                if (pipeline) {
                    ingest = services.start("ingest-service", "ingest-service", Map.of("vqa.ingest.allowed-roots",
                            work.resolve("videos").toString(), "vqa.ingest.workers", "1", "vqa.ingest.queue", String.valueOf(videos)));
                }
                for (int i = 0; i < instances; i++) {
                    services.start("scorer-service", "scorer-service-" + i, Map.of("vqa.scorer.threads", String.valueOf(threads),
                            "vqa.scorer.instance-id", "bench-" + i));
                }
                services.awaitReady(Duration.ofMinutes(5));
                if (pipeline) {
                    HttpClient http = HttpClient.newHttpClient();
                    for (SynthVideo v : synth) {
                        Map<String, Object> body = new LinkedHashMap<>(Map.of("uri", v.file().toUri().toString(),
                                "id", v.file().getFileName().toString()));
                        HttpResponse<String> r = http.send(token.authorize(HttpRequest.newBuilder(URI.create(ingest + "/videos")))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 202) {
                            throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                }
                // steady state: from the first video's score to the last (the first also pays the group join and warm-up)
                double seconds = awaitScores(kafka, videos);
                return (pipeline ? videos - 1 : 4.0 * (videos - 1)) / seconds;
            }
        }
    }

    private void preload(String kafka, List<VideoViews> views) throws Exception {
        Map<String, Object> settings = new HashMap<>(LargeRecordSettings.producer());
        settings.put("bootstrap.servers", kafka);
        try (KafkaProducer<String, FragmentClip> p = new KafkaProducer<>(settings, new StringSerializer(), WireSerdes.fragments().serializer())) {
            for (int i = 0; i < views.size(); i++) {
                String id = "bench-" + i;
                for (FragmentClip c : FragmentRecords.of(id, id, views.get(i), SourceMetadata.getDefaultInstance(),
                        OptionalDouble.empty(), "bench", System.currentTimeMillis())) {
                    p.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), id, c));
                }
            }
        }
    }

    /** Seconds from the first score to the last, from the scores' own end-to-end times. */
    private static double awaitScores(String kafka, int videos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Long> scoredAt = new HashMap<>();
            KafkaClientSettings.plaintext(kafka, "vqa-bench").topicReader("test").readToEnd(TopicCatalog.VIDEO_SCORES.name(), WireSerdes.videoScores().deserializer(),
                    (k, v) -> {
                        if (!v.getShadow()) { // a shadow score is not the video's score
                            scoredAt.putIfAbsent(k, v.getIngestTimeMs() + (long) v.getEndToEndMs());
                        }
                    });
            if (scoredAt.size() >= videos) {
                long first = scoredAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                long last = scoredAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                return Math.max(1, last - first) / 1000.0;
            }
            // Each look opens a consumer, which takes CPU from the services being measured. The rate comes from the
            // scores' own timestamps, so looking less often changes nothing else.
            Thread.sleep(2000);
        }
        throw new IllegalStateException("not every video was scored within 20 minutes");
    }

    private static Map<String, Object> row(String what, double rate, String unit, double fraction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("throughput", rate);
        m.put("unit", unit);
        m.put("fraction_of_model_only", fraction);
        return m;
    }
}
