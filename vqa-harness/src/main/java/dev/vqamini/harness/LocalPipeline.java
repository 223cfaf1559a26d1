package dev.vqamini.harness;

import dev.vqamini.kafka.ClusterReadiness;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.release.ModelRelease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * The pipeline as an operator runs it, for {@code vqa faults} and {@code vqa soak}: broker processes on data folders,
 * the stable version published, and ingest, two scorers and metrics-service as separate processes, all plaintext
 * on this host. Uploads go in as multipart requests sent by curl.
 */
record LocalPipeline(Path work, BrokerCluster brokers, ServiceProcesses services, KafkaClientSettings kafka,
                     ModelDefinition stable, HttpClient http) implements AutoCloseable {

    static final List<String> SCORERS = List.of("scorer-a", "scorer-b");
    private static final boolean CURL = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "curl")));

    static LocalPipeline start(Path work, ModelDefinition stable, String who) throws Exception {
        return start(work, stable, who, 1, "classic");
    }

    /**
     * With {@code brokers} broker processes (1, or a KRaft cluster of 3 with every topic replicated three times) and
     * every service's consumer groups on {@code groupProtocol} (classic or consumer).
     */
    static LocalPipeline start(Path work, ModelDefinition stable, String who, int brokers, String groupProtocol)
            throws Exception {
        Path root = ServiceProcesses.root();
        List<String> missing = ServiceProcesses.missing(root);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("services not built: " + missing + " (./mvnw -B package -DskipTests)");
        }
        Path logs = work.resolve("logs");
        System.err.println(who + ": work folder " + work + ", logs in " + logs);
        BrokerCluster cluster = BrokerCluster.start(work.resolve("broker"), logs, brokers);
        ServiceProcesses services = new ServiceProcesses(root, logs, cluster.bootstrapServers(),
                Map.of("vqa.kafka.group-protocol", groupProtocol, "vqa.kafka.replication-factor",
                        Short.toString(cluster.replication())));
        try {
            KafkaClientSettings kafka = KafkaClientSettings.plaintext(cluster.bootstrapServers(), "vqa-" + who)
                    .withGroupProtocol(groupProtocol);
            if (brokers > 1) {
                ClusterReadiness.awaitBrokers(kafka, brokers, Duration.ofMinutes(3), line -> System.err.println(who + ": " + line));
                ClusterReadiness.ensureInternalTopics(kafka);
            }
            TopicBootstrap.ensureCatalog(kafka, Duration.ofSeconds(60), cluster.replication()).requireConsistent();
            ModelRelease.publishStable(kafka, ModelBundle.servingOf(stable, work.resolve("models").resolve(stable.version())), null);
            System.err.println(who + ": stable version " + stable.version() + " published");
            services.start("ingest-service", "ingest", Map.of("vqa.ingest.allowed-roots",
                    Files.createDirectories(work.resolve("videos")).toString(), "vqa.ingest.workers", "1",
                    "vqa.ingest.spool-dir", work.resolve("spool").toString()));
            for (String scorer : SCORERS) {
                services.start("scorer-service", scorer, Map.of("vqa.scorer.threads", "1"));
            }
            services.start("metrics-service", "metrics", Map.of("vqa.metrics.refresh", "1s",
                    "kafka-streams.state.dir", work.resolve("streams").toString()));
            services.awaitReady(Duration.ofMinutes(5));
            return new LocalPipeline(work, cluster, services, kafka, stable,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        } catch (Exception | Error e) {
            services.close();
            cluster.close();
            throw e;
        }
    }

    /** A multipart upload sent by curl (or, without curl, the same request from Java's client); true on 202. */
    boolean upload(Path file, String id) throws Exception {
        if (CURL) {
            for (int attempt = 0; attempt < 30; attempt++) {
                Process p = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-F", "id=" + id,
                        "-F", "file=@" + file, services.url("ingest") + "/videos").redirectErrorStream(true).start();
                String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor();
                if (code.equals("202")) {
                    return true;
                }
                if (!code.equals("503")) {
                    throw new IllegalStateException("ingest answered " + code + " to curl's upload of " + id);
                }
                Thread.sleep(1000);
            }
            return false;
        }
        String boundary = "vqa" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n" + id + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(services.url("ingest") + "/videos"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail))).build();
        for (int attempt = 0; attempt < 30; attempt++) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                return true;
            }
            if (r.statusCode() != 503) {
                throw new IllegalStateException("ingest answered " + r.statusCode() + " to " + id + ": " + r.body());
            }
            Thread.sleep(1000);
        }
        return false;
    }

    @Override
    public void close() {
        services.close();
        brokers.close();
    }
}
