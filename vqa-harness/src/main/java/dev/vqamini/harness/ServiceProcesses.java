package dev.vqamini.harness;

import dev.vqamini.cli.VqaCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four services as separate processes, each its real Quarkus app ({@code <service>/target/quarkus-app}), on free
 * ports, with its log in a folder of its own; stopped together (also on Ctrl-C).
 */
final class ServiceProcesses implements AutoCloseable {

    static final List<String> SERVICES = List.of("ingest-service", "scorer-service", "pruning-service", "metrics-service");

    private static final String CRASH_PREFIX = "hs_err_";

    private final Path root;
    private final Path logs;
    private final String kafka;
    private final Map<String, String> common;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, ProcessBuilder> builders = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServiceProcesses(Path root, Path logs, String kafka) {
        this(root, logs, kafka, Map.of());
    }

    /** @param common {@code -D} settings every service started here gets */
    ServiceProcesses(Path root, Path logs, String kafka, Map<String, String> common) {
        this.root = root;
        this.logs = logs;
        this.kafka = kafka;
        this.common = common;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-services"));
    }

    /** The repository root: {@code -Dvqa.root} (set by the launcher), else the working folder. */
    static Path root() {
        return VqaCommand.root();
    }

    /** Missing service builds, named (the launcher builds them; from an IDE: ./mvnw package -DskipTests). */
    static List<String> missing(Path root) {
        return SERVICES.stream().filter(s -> !Files.isRegularFile(app(root, s))).toList();
    }

    private static Path app(Path root, String service) {
        return root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Starts {@code service} with extra {@code -D} settings; returns its base URL. */
    String start(String service, String instance, Map<String, String> settings) throws IOException {
        return start(service, instance, settings, Map.of());
    }

    /** Like {@link #start(String, String, Map)}, with variables (secrets) added to the process's environment. */
    String start(String service, String instance, Map<String, String> settings, Map<String, String> environment)
            throws IOException {
        int port = freePort();
        // a JVM crash report lands beside the instance's log, named by it, never in the working folder
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1500m", "-XX:ErrorFile=" + logs.resolve(CRASH_PREFIX + instance + "_%p.log"),
                "-Dquarkus.http.port=" + port, "-Dkafka.bootstrap.servers=" + kafka));
        common.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", app(root, service).toString()));
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(instance + ".log").toFile()));
        running.put(instance, builder.start());
        builders.put(instance, builder);
        ports.put(instance, port);
        return url(instance);
    }

    /** {@code kill -9}: the process gets no chance to stop cleanly, as in a crash or an OOM kill. */
    void kill(String instance) throws InterruptedException {
        Process p = running.get(instance);
        p.destroyForcibly();
        p.waitFor();
    }

    /**
     * {@code kill -15}, as an orchestrator stops a pod: the instance gets {@code timeout} to stop on its own (then it
     * is killed, and -1 returned).
     *
     * @return the exit code (143 for a JVM that ran its shutdown hooks after SIGTERM)
     */
    int stop(String instance, Duration timeout) throws InterruptedException {
        Process p = running.get(instance);
        p.destroy();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return -1;
        }
        return p.exitValue();
    }

    /** The JVM crash reports (hs_err files) {@code instance} left, if any. */
    List<Path> crashReports(String instance) throws IOException {
        try (var files = Files.list(logs)) {
            return files.filter(f -> f.getFileName().toString().startsWith(CRASH_PREFIX + instance + "_")).toList();
        }
    }

    /** Stops an instance for good (SIGTERM, as a scale-in does): it is no longer started, awaited or closed here. */
    int remove(String instance, Duration timeout) throws InterruptedException {
        int exit = stop(instance, timeout);
        running.remove(instance);
        builders.remove(instance);
        ports.remove(instance);
        return exit;
    }

    /** Starts a killed instance again, with the same settings, port and log. */
    void restart(String instance) throws IOException {
        if (running.get(instance).isAlive()) {
            throw new IllegalStateException(instance + " is still running");
        }
        running.put(instance, builders.get(instance).start());
    }

    String url(String instance) {
        return "http://localhost:" + ports.get(instance);
    }

    Map<String, Integer> ports() {
        return ports;
    }

    /** Waits until every started service answers 200 on /q/health/ready. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        for (String instance : running.keySet()) {
            awaitReady(instance, timeout);
        }
    }

    /** Waits until {@code instance} answers 200 on /q/health/ready. */
    void awaitReady(String instance, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status(url(instance) + "/q/health/ready") != 200) {
            if (!running.get(instance).isAlive()) {
                throw new IllegalStateException(instance + " exited (exit code " + running.get(instance).exitValue()
                        + "): see " + logs.resolve(instance + ".log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(instance + " not ready after " + timeout.toSeconds() + " s: see "
                        + logs.resolve(instance + ".log"));
            }
            Thread.sleep(500);
        }
    }

    private int status(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        for (Process p : running.values()) {
            p.destroy();
        }
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        running.clear();
    }
}
