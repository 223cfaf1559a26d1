package dev.vqamini.cli;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.kafka.TopicBootstrapReport;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vqa broker}: a local single-node Kafka broker with the VQA-Mini topics, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
                "Run a real single-node Apache Kafka broker (KRaft, broker and controller in one JVM) for local use,",
                "create the VQA-Mini topics on it (or check existing ones), print its bootstrap address,",
                "and keep running until Ctrl-C, which shuts it down cleanly.",
                "",
                "Services connect with VQA_KAFKA=<address> (default localhost:9092).",
                "Without --data the log directory is temporary and deleted on exit;",
                "with --data DIR topics and records survive restarts."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on and advertise to clients (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Persistent log directory (formatted on first use). Default: a temporary directory.")
    Path data;

    @Override
    public Integer call() throws Exception {
        // Kafka logs every step at INFO; a person at a terminal needs warnings only.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        LocalKafkaBroker broker = LocalKafkaBroker.startFixed(host, port, Optional.ofNullable(data));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("vqa broker: shutting down " + broker.bootstrapServers());
            try {
                broker.close();
            } finally {
                stopped.countDown();
            }
        }, "vqa-broker-shutdown"));

        TopicBootstrapReport report = TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(broker.bootstrapServers(), "vqa-broker"), Duration.ofSeconds(30), (short) 1);
        for (TopicSpec t : TopicCatalog.all()) {
            System.out.printf("  %-18s %2d partition(s), %-7s max.message.bytes=%d%n",
                    t.name(), t.partitions(), t.cleanupPolicy(), t.maxMessageBytes());
        }
        System.out.println(report.summary());
        System.out.println("Kafka broker ready at " + broker.bootstrapServers()
                + (data != null ? " (data in " + data.toAbsolutePath() + ")" : " (temporary data)")
                + ". Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
