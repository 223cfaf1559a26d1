package dev.vqamini.harness;

import dev.vqamini.cli.VqaCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vqa broker} as a process of its own, on a fixed port and a data folder that outlives it, so that it can be
 * killed with -9 and started again on the same log, the way a broker outage looks.
 */
final class BrokerProcess implements AutoCloseable {

    private final ProcessBuilder builder;
    private final int port;
    private Process process;

    private BrokerProcess(ProcessBuilder builder, int port) {
        this.builder = builder;
        this.port = port;
    }

    /** Starts it and waits until it accepts connections and has the topics. */
    static BrokerProcess start(Path data, Path logs) throws IOException, InterruptedException {
        int port = ServiceProcesses.freePort();
        Files.createDirectories(logs);
        ProcessBuilder b = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), VqaCommand.class.getName(), "broker",
                "--port", Integer.toString(port), "--data", data.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("broker.log").toFile()));
        BrokerProcess broker = new BrokerProcess(b, port);
        broker.restart();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-broker"));
        return broker;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts it (again) on its data and port and waits for the port. */
    void restart() throws IOException, InterruptedException {
        process = builder.start();
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
