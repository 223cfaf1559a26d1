package dev.vqamini.harness;

import dev.vqamini.kafka.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The brokers of a local pipeline as processes: one broker, or a KRaft cluster of three nodes (each broker and
 * controller) with every topic replicated three times. Knows who leads what, so a fault can strike the leader.
 */
record BrokerCluster(List<BrokerProcess> nodes) implements AutoCloseable {

    static BrokerCluster start(Path data, Path logs, int nodes) throws Exception {
        return new BrokerCluster(nodes == 1 ? List.of(BrokerProcess.start(data, logs))
                : BrokerProcess.startCluster(data, logs, nodes));
    }

    /** Every node's address, as clients take it. */
    String bootstrapServers() {
        return nodes.stream().map(BrokerProcess::address).collect(Collectors.joining(","));
    }

    /** Replicas per topic: three in a cluster, one on a single broker. */
    short replication() {
        return (short) Math.min(3, nodes.size());
    }

    BrokerProcess node(int id) {
        return nodes.stream().filter(n -> n.nodeId() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broker node " + id));
    }

    /** The node that leads {@code topic}'s partition {@code partition}. */
    BrokerProcess leaderOf(KafkaClientSettings kafka, String topic, int partition) throws Exception {
        try (Admin admin = kafka.newAdmin("faults", 30_000)) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Node leader = d.partitions().get(partition).leader();
            if (leader == null) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader");
            }
            return node(leader.id());
        }
    }

    /** The active controller (the KRaft quorum's leader). */
    BrokerProcess activeController(KafkaClientSettings kafka) throws Exception {
        try (Admin admin = kafka.newAdmin("faults", 30_000)) {
            return node(admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId());
        }
    }

    /**
     * Waits until every partition of every topic (Kafka's internal ones and Kafka Streams' included) has
     * {@link #replication()} replicas, all in sync; empty when they do, else a line naming how many are short.
     */
    Optional<String> awaitFullyReplicated(KafkaClientSettings kafka, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shortOf = "";
        try (Admin admin = kafka.newAdmin("faults", 30_000)) {
            while (System.nanoTime() < deadline) {
                Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
                int partitions = 0;
                List<String> behind = new ArrayList<>();
                for (Map.Entry<String, TopicDescription> e
                        : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).entrySet()) {
                    for (TopicPartitionInfo p : e.getValue().partitions()) {
                        partitions++;
                        if (p.isr().size() < replication() || p.replicas().size() < replication()) {
                            behind.add(e.getKey() + "-" + p.partition() + " (" + p.isr().size() + " of " + p.replicas().size()
                                    + " in sync)");
                        }
                    }
                }
                if (behind.isEmpty()) {
                    return Optional.empty();
                }
                shortOf = behind.size() + " of " + partitions + " partitions short of " + replication()
                        + " in-sync replicas, e.g. " + behind.get(0);
                Thread.sleep(1000);
            }
        }
        return Optional.of(shortOf);
    }

    /** Stops every node together: one stopping alone after the quorum is gone would wait out its controlled shutdown. */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (BrokerProcess n : nodes) {
            Thread t = new Thread(n::close, "stop-broker-" + n.nodeId());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
