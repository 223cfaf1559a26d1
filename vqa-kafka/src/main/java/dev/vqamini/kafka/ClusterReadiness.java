package dev.vqamini.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Waiting for a Kafka cluster to be whole, and making Kafka's internal topics exist before the first client needs
 * them: consumer offsets appear on the first group lookup, transaction state on the first transactional producer,
 * each replicated as the brokers' settings say.
 */
public final class ClusterReadiness {

    /** The internal topics every VQA-Mini cluster ends up with: offsets (all consumers) and transactions (Streams). */
    public static final List<String> INTERNAL_TOPICS = List.of("__consumer_offsets", "__transaction_state");

    private ClusterReadiness() {
    }

    /**
     * Waits until the cluster has at least {@code brokers} brokers, telling {@code progress} every 10 s while not.
     *
     * @return false when {@code timeout} passed first
     */
    public static boolean awaitBrokers(KafkaClientSettings kafka, int brokers, Duration timeout, Consumer<String> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        try (Admin admin = kafka.newAdmin("cluster-readiness", 5_000)) {
            while (System.nanoTime() < deadline) {
                int seen;
                try {
                    seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                } catch (Exception notYet) {
                    seen = 0; // no quorum yet: the controllers elect a leader once a majority runs
                }
                if (seen >= brokers) {
                    return true;
                }
                if (System.nanoTime() >= nextReport) {
                    progress.accept(seen + " of " + brokers + " brokers up; waiting for the others");
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                }
                Thread.sleep(500);
            }
        }
        return false;
    }

    /** Makes the offsets and transaction-state topics exist (idempotent) and returns their descriptions. */
    public static Map<String, TopicDescription> ensureInternalTopics(KafkaClientSettings kafka) throws Exception {
        try (Admin admin = kafka.newAdmin("cluster-readiness", 60_000)) {
            // A group's offsets lookup finds the group coordinator, which makes __consumer_offsets.
            admin.listConsumerGroupOffsets("vqa-cluster-readiness").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Map<String, Object> p = kafka.producer("cluster-readiness");
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vqa-cluster-readiness");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.initTransactions(); // the transaction coordinator, and with it __transaction_state
            }
            return admin.describeTopics(INTERNAL_TOPICS).allTopicNames().get(60, TimeUnit.SECONDS);
        }
    }
}
