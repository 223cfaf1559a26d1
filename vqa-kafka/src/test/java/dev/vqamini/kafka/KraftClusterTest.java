package dev.vqamini.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.broker.KraftVoters;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.wire.TopicCatalog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three KRaft nodes started apart with the same controllers form one cluster: the catalog and Kafka's internal topics
 * get three replicas and min.insync.replicas 2; with one node stopped an acks=all write still succeeds, and once it
 * is back on its data every partition has three in-sync replicas again.
 */
class KraftClusterTest {

    private static final String HOST = "127.0.0.1";

    @Test
    void threeNodesReplicateEverythingAndHealAfterANodeReturns(@TempDir Path dir) throws Exception {
        int[] ports = new int[3];
        List<KraftVoters.Voter> voters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports[i] = freePort();
            voters.add(new KraftVoters.Voter(i + 1, HOST, freePort()));
        }
        KraftVoters quorum = new KraftVoters(voters);
        LocalKafkaBroker[] nodes = new LocalKafkaBroker[3];
        try {
            // a node's start returns once the quorum has it caught up, so the three start together, as three processes would
            List<Thread> starting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                Thread t = new Thread(() -> nodes[n] = LocalKafkaBroker.startClusterNode(HOST, ports[n], n + 1, quorum,
                        dir.resolve("n" + (n + 1))), "start-node-" + (n + 1));
                t.start();
                starting.add(t);
            }
            for (Thread t : starting) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            for (LocalKafkaBroker n : nodes) {
                assertTrue(n != null, "every node started");
            }
            String all = HOST + ":" + ports[0] + "," + HOST + ":" + ports[1] + "," + HOST + ":" + ports[2];
            KafkaClientSettings kafka = KafkaClientSettings.plaintext(all, "cluster-test");
            assertTrue(ClusterReadiness.awaitBrokers(kafka, 3, Duration.ofMinutes(2), line -> { }));
            ClusterReadiness.ensureInternalTopics(kafka);
            TopicBootstrap.ensureCatalog(kafka, Duration.ofSeconds(60), (short) 3).requireConsistent();
            try (Admin admin = kafka.newAdmin("cluster-test", 60_000)) {
                for (TopicDescription d : describeAll(admin).values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        assertEquals(3, p.replicas().size(), d.name() + "-" + p.partition());
                    }
                }
                ConfigResource fragments = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.FRAGMENTS.name());
                Config config = admin.describeConfigs(List.of(fragments)).all().get(30, TimeUnit.SECONDS).get(fragments);
                assertEquals("2", config.get("min.insync.replicas").value());

                nodes[2].close(); // one node gone: two replicas remain in sync, enough for acks=all
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("cluster-test"),
                        new StringSerializer(), new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(TopicCatalog.UPLOADS.name(), "v1", new byte[]{1})).get(60, TimeUnit.SECONDS);
                }
                nodes[2] = LocalKafkaBroker.startClusterNode(HOST, ports[2], 3, quorum, dir.resolve("n3"));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                int shortOfThree;
                do {
                    Thread.sleep(1000);
                    shortOfThree = 0;
                    for (TopicDescription d : describeAll(admin).values()) {
                        shortOfThree += (int) d.partitions().stream().filter(p -> p.isr().size() < 3).count();
                    }
                } while (shortOfThree > 0 && System.nanoTime() < deadline);
                assertEquals(0, shortOfThree, "partitions short of three in-sync replicas after the node returned");
            }
        } finally {
            // together: a node stopping last, after the quorum is gone, would wait out its controlled shutdown
            List<Thread> stopping = new ArrayList<>();
            for (LocalKafkaBroker n : nodes) {
                if (n != null) {
                    Thread t = new Thread(n::close, "stop-node");
                    t.start();
                    stopping.add(t);
                }
            }
            for (Thread t : stopping) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
        }
    }

    private static Map<String, TopicDescription> describeAll(Admin admin) throws Exception {
        List<String> names = new ArrayList<>(ClusterReadiness.INTERNAL_TOPICS);
        TopicCatalog.all().forEach(t -> names.add(t.name()));
        return admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
