package dev.vqamini.harness;

import dev.vqamini.cli.VqaCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vqa broker} as a process of its own, on a fixed port and a data folder that outlives it, so that it can be
 * killed with -9, paused with SIGSTOP and started again on the same log, the way a broker outage looks. One process
 * is a whole one-node cluster, or one node (broker and controller) of a cluster of several.
 */
final class BrokerProcess implements AutoCloseable {

    private final ProcessBuilder builder;
    private final int nodeId;
    private final int port;
    private Process process;

    private BrokerProcess(ProcessBuilder builder, int nodeId, int port) {
        this.builder = builder;
        this.nodeId = nodeId;
        this.port = port;
    }

    /** Starts a one-node broker and waits until it accepts connections. */
    static BrokerProcess start(Path data, Path logs) throws IOException, InterruptedException {
        int port = ServiceProcesses.freePort();
        BrokerProcess broker = launch(1, port, logs.resolve("broker.log"), List.of("--port", Integer.toString(port),
                "--data", data.toString()));
        broker.awaitPort();
        return broker;
    }

    /**
     * Starts {@code nodes} KRaft nodes as separate processes, each broker and controller, data in {@code data/n<id>},
     * and waits until every one accepts connections. They start together: a node's broker opens only once the quorum
     * of controllers is there.
     */
    static List<BrokerProcess> startCluster(Path data, Path logs, int nodes) throws IOException, InterruptedException {
        List<String> voters = new ArrayList<>();
        int[] ports = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            ports[i] = ServiceProcesses.freePort();
            voters.add((i + 1) + "@127.0.0.1:" + ServiceProcesses.freePort());
        }
        List<BrokerProcess> cluster = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int id = i + 1;
            cluster.add(launch(id, ports[i], logs.resolve("broker-" + id + ".log"), List.of("--node-id", Integer.toString(id),
                    "--controllers", String.join(",", voters), "--port", Integer.toString(ports[i]),
                    "--data", data.resolve("n" + id).toString())));
        }
        for (BrokerProcess b : cluster) {
            b.awaitPort();
        }
        return cluster;
    }

    private static BrokerProcess launch(int nodeId, int port, Path log, List<String> args) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), VqaCommand.class.getName(), "broker"));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        BrokerProcess broker = new BrokerProcess(b, nodeId, port);
        broker.process = b.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-broker-" + nodeId));
        return broker;
    }

    int nodeId() {
        return nodeId;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process holds its sockets but answers nothing, as a host that froze or a network cut off. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + exit);
        }
    }

    /** Starts it (again) on its data and port and waits for the port. */
    void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("broker node " + nodeId + " is still running");
        }
        process = builder.start();
        awaitPort();
    }

    private void awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("vqa broker did not start on port " + port + ": see "
                        + builder.redirectOutput().file());
            }
            Thread.sleep(300);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            try {
                resume(); // a paused JVM would not run its shutdown hook
            } catch (IOException | InterruptedException | IllegalStateException e) {
                // gone already
            }
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
