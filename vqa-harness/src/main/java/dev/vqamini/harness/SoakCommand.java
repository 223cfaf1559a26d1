package dev.vqamini.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.cli.RuntimeOptions;
import dev.vqamini.cli.WeightsOption;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.ServiceAcls;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.wire.TopicCatalog;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/** {@code vqa soak}: the pipeline kept at the scorers' capacity for minutes, with what could leak printed each minute. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {
                "Run the pipeline (a broker process, ingest, two scorers, metrics-service; as vqa faults starts them) at",
                "the scorers' capacity for --minutes: uploads are sent by curl whenever fewer than --backlog are waiting",
                "to be scored. Each minute one row: videos scored, and per service heap in use, live threads and open",
                "files, the scorers' ONNX Runtime sessions, and the scorer group's lag on vqa.fragments. A process",
                "that leaks shows as a column that grows. --json prints one object per minute."})
public final class SoakCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INSTANCES = List.of("ingest", "scorer-a", "scorer-b", "metrics");

    @Option(names = "--minutes", defaultValue = "10", description = "How long (default ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--backlog", defaultValue = "4", description = "Uploads waiting to be scored that keep the scorers busy (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder (default: a new temporary folder).")
    Path dir;

    @Option(names = "--json", description = "One JSON object per minute instead of the table.")
    boolean json;

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    /** One minute's measurements. */
    public record Row(int minute, long videosScored, Map<String, Long> heapMb, Map<String, Long> threads,
                      Map<String, Long> openFiles, long onnxSessions, long lag) {
    }

    @Override
    public Integer call() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("vqa-soak");
        List<Row> rows = new ArrayList<>();
        try (LocalPipeline pipeline = LocalPipeline.start(work, weights.definition(runtime.options()), "soak")) {
            List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults())
                    .generate(work.resolve("videos"), 4, 11, v -> { });
            if (!json) {
                System.out.printf("%-6s %7s  %-23s %-23s %-23s %8s %5s%n", "minute", "scored", "heap MB (i/a/b/m)",
                        "threads (i/a/b/m)", "open files (i/a/b/m)", "sessions", "lag");
            }
            long start = System.nanoTime();
            long uploaded = 0;
            for (int minute = 1; minute <= minutes; minute++) {
                long end = start + Duration.ofMinutes(minute).toNanos();
                while (System.nanoTime() < end) {
                    if (uploaded - scored(pipeline) < backlog) {
                        if (pipeline.upload(synth.get((int) (uploaded % synth.size())).file(), "soak-" + uploaded)) {
                            uploaded++;
                        }
                    } else {
                        Thread.sleep(500);
                    }
                }
                Row row = measure(pipeline, minute);
                rows.add(row);
                print(row);
            }
        }
        return rows.isEmpty() ? 1 : 0;
    }

    private Row measure(LocalPipeline pipeline, int minute) throws Exception {
        Map<String, Long> heap = new LinkedHashMap<>();
        Map<String, Long> threads = new LinkedHashMap<>();
        Map<String, Long> files = new LinkedHashMap<>();
        long sessions = 0;
        for (String instance : INSTANCES) {
            String metrics = get(pipeline, pipeline.services().url(instance) + "/q/metrics");
            heap.put(instance, (long) sum(metrics, "jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}") >> 20);
            threads.put(instance, (long) sum(metrics, "jvm_threads_live_threads(\\{[^}]*\\})?"));
            files.put(instance, (long) sum(metrics, "process_files_open_files(\\{[^}]*\\})?"));
            if (instance.startsWith("scorer")) {
                sessions += (long) sum(metrics, "vqa_scorer_onnx_sessions(\\{[^}]*\\})?");
            }
        }
        return new Row(minute, scored(pipeline), heap, threads, files, sessions, lag(pipeline.kafka()));
    }

    private void print(Row r) throws Exception {
        if (json) {
            System.out.println(JSON.writeValueAsString(r));
        } else {
            System.out.printf("%-6d %7d  %-23s %-23s %-23s %8d %5d%n", r.minute(), r.videosScored(), join(r.heapMb()),
                    join(r.threads()), join(r.openFiles()), r.onnxSessions(), r.lag());
        }
        System.out.flush();
    }

    private static String join(Map<String, Long> m) {
        return String.join("/", m.values().stream().map(String::valueOf).toList());
    }

    /** Videos in metrics-service's table, all versions. */
    private static long scored(LocalPipeline pipeline) throws Exception {
        long n = 0;
        for (JsonNode row : JSON.readTree(get(pipeline, pipeline.services().url("metrics") + "/versions"))) {
            n += row.path("videos").asLong();
        }
        return n;
    }

    /** The scorer group's committed offsets behind the end of vqa.fragments, summed over partitions. */
    private static long lag(KafkaClientSettings kafka) throws Exception {
        try (Admin admin = kafka.newAdmin("soak", 15_000)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(ServiceAcls.SCORER_GROUP).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (int p = 0; p < TopicCatalog.FRAGMENTS.partitions(); p++) {
                latest.put(new TopicPartition(TopicCatalog.FRAGMENTS.name(), p), OffsetSpec.latest());
            }
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                var c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    private static double sum(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(m.groupCount()));
        }
        return total;
    }

    private static String get(LocalPipeline pipeline, String url) throws Exception {
        HttpResponse<String> r = pipeline.http().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }
}
