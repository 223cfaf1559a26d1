package dev.vqamini.cli;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.broker.KraftVoters;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.kafka.ClusterReadiness;
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
                "with --data DIR topics and records survive restarts.",
                "",
                "With --node-id and --controllers it is one node of a cluster instead: three such processes, given the",
                "same --controllers, form one KRaft cluster (each node broker and controller). Once every listed node",
                "runs, the VQA-Mini topics and Kafka's internal topics exist with replication 3 and",
                "min.insync.replicas 2, so an acknowledged write survives one node lost. Clients take every node's",
                "address, e.g. VQA_KAFKA=127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on and advertise to clients (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Persistent log directory (formatted on first use). Default: a temporary directory.")
    Path data;

    @Option(names = "--node-id", paramLabel = "N", description = "This node's id in a cluster (one of --controllers).")
    Integer nodeId;

    @Option(names = "--controllers", paramLabel = "ID@HOST:PORT,...",
            description = "A cluster's controllers, the same list on every node, e.g."
                    + " 1@127.0.0.1:19091,2@127.0.0.1:19092,3@127.0.0.1:19093 (with --node-id and --data).")
    String controllers;

    @Override
    public Integer call() throws Exception {
        // Kafka logs every step at INFO; a person at a terminal needs warnings only.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if ((nodeId == null) != (controllers == null) || (nodeId != null && data == null)) {
            System.err.println("broker: a cluster node needs --node-id, --controllers and --data together");
            return 2;
        }
        KraftVoters voters = controllers == null ? null : KraftVoters.parse(controllers);
        LocalKafkaBroker broker = voters == null ? LocalKafkaBroker.startFixed(host, port, Optional.ofNullable(data))
                : LocalKafkaBroker.startClusterNode(host, port, nodeId, voters, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("vqa broker: shutting down " + broker.bootstrapServers());
            try {
                broker.close();
            } finally {
                stopped.countDown();
            }
        }, "vqa-broker-shutdown"));

        KafkaClientSettings admin = KafkaClientSettings.plaintext(broker.bootstrapServers(), "vqa-broker");
        short replication = 1;
        if (voters != null) {
            System.out.println("node " + nodeId + " of " + voters + " started on " + broker.bootstrapServers());
            if (!ClusterReadiness.awaitBrokers(admin, voters.voters().size(), Duration.ofMinutes(10),
                    line -> System.out.println("  " + line))) {
                System.err.println("broker: the cluster did not have its " + voters.voters().size() + " nodes within 10 min;"
                        + " this node keeps running");
            } else {
                replication = (short) Math.min(3, voters.voters().size());
                ClusterReadiness.ensureInternalTopics(admin).forEach((name, d) -> System.out.printf(
                        "  %-18s %2d partition(s), %d replicas%n", name, d.partitions().size(), d.partitions().get(0).replicas().size()));
            }
        }
        TopicBootstrapReport report = TopicBootstrap.ensureCatalog(admin, Duration.ofSeconds(30), replication);
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
