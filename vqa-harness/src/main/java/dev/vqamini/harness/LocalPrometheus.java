package dev.vqamini.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vqamini.deploy.PrometheusApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus process (Debian's {@code prometheus}, or any 2.x binary) running the deployment's own configuration
 * ({@code deploy/prometheus/prometheus.yml} and its rule files) with each job's targets rewritten to services on this
 * host. The jobs, rules and scrape settings stay exactly as deployed; only where the targets are changes.
 */
public final class LocalPrometheus implements AutoCloseable {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Process process;
    private final PrometheusApi api;

    private LocalPrometheus(Process process, PrometheusApi api) {
        this.process = process;
        this.api = api;
    }

    /**
     * Starts Prometheus and waits until it is ready.
     *
     * @param binary    the prometheus executable (a name on PATH or a path)
     * @param deployDir the repository's {@code deploy/}
     * @param ports     service name (as the deployed configuration names it, e.g. scorer-service) to its port here
     * @param workDir   where the rewritten configuration, the TSDB and the log go
     * @param port      the port Prometheus listens on (127.0.0.1)
     */
    public static LocalPrometheus start(String binary, Path deployDir, Map<String, Integer> ports, Path workDir, int port)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        YAML.writeValue(config.toFile(), localConfig(deployDir.resolve("prometheus/prometheus.yml"), ports));
        Path log = workDir.resolve("prometheus.log");
        Process p;
        try {
            p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + binary + " (install Debian's prometheus package: apt-get install prometheus): "
                    + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "stop-prometheus")); // Ctrl-C stops it too
        LocalPrometheus prometheus = new LocalPrometheus(p, new PrometheusApi("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!prometheus.api.ready()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                prometheus.close();
                throw new IOException("prometheus did not become ready (exit " + (p.isAlive() ? "none" : p.exitValue()) + "); its log "
                        + log + " ends:\n" + tail(log));
            }
            Thread.sleep(250);
        }
        return prometheus;
    }

    /**
     * The deployed configuration with every job's DNS or static targets replaced by {@code localhost:<port>} of the
     * service it names, and rule file patterns made absolute.
     */
    static ObjectNode localConfig(Path deployed, Map<String, Integer> ports) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(deployed.toFile());
        JsonNode patterns = config.path("rule_files");
        ArrayNode rules = config.putArray("rule_files");
        for (JsonNode f : patterns) {
            rules.add(deployed.getParent().resolve(f.asText()).toString());
        }
        for (JsonNode job : config.path("scrape_configs")) {
            ObjectNode j = (ObjectNode) job;
            String service = serviceOf(j);
            Integer port = ports.get(service);
            if (port == null) {
                throw new IllegalArgumentException("job " + j.path("job_name").asText() + " scrapes " + service
                        + ", which is not running here (running: " + ports.keySet() + ")");
            }
            JsonNode labels = j.path("static_configs").path(0).path("labels");
            j.remove(List.of("dns_sd_configs", "static_configs"));
            ObjectNode target = j.putArray("static_configs").addObject();
            target.putArray("targets").add("localhost:" + port);
            if (labels.isObject()) {
                target.set("labels", labels);
            }
        }
        return config;
    }

    /** The service a job scrapes: the DNS name it resolves, or the host of its first static target. */
    private static String serviceOf(ObjectNode job) {
        JsonNode dns = job.path("dns_sd_configs").path(0).path("names").path(0);
        if (!dns.isMissingNode()) {
            return dns.asText();
        }
        String target = job.path("static_configs").path(0).path("targets").path(0).asText();
        if (target.isEmpty()) {
            throw new IllegalArgumentException("job " + job.path("job_name").asText() + " has neither dns_sd_configs nor static_configs targets");
        }
        return target.contains(":") ? target.substring(0, target.lastIndexOf(':')) : target;
    }

    public PrometheusApi api() {
        return api;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
