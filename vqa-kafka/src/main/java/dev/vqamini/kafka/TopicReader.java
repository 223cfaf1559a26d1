package dev.vqamini.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning up to the end offsets it had when reading started, outside any consumer group
 * (nothing is committed, no scorer's assignment moves). This is how every instance learns the compacted topics it
 * needs in full (vqa.models, vqa.rollouts, vqa.labels) and how tools sample a topic. A record that does not decode
 * is reported and skipped, never fatal.
 */
public final class TopicReader {

    /** Receives each decoded record. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(String key, T value);
    }

    private final Map<String, Object> settings;

    /**
     * @param bootstrapServers the Kafka address
     * @param clientId         names this reader in broker logs and metrics (e.g. the service's application name)
     */
    public TopicReader(String bootstrapServers, String clientId) {
        settings = new HashMap<>(LargeRecordSettings.consumer());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    }

    /** Every record now on {@code topic}, in partition order; returns how many were delivered to {@code sink}. */
    public <T> int readToEnd(String topic, Deserializer<T> values, Sink<T> sink) {
        return readToEnd(topic, values, sink, () -> false, problem -> { });
    }

    /**
     * Like {@link #readToEnd(String, Deserializer, Sink)}, stopping early once {@code enough} says so.
     *
     * @param problems told about each record that cannot be decoded ("topic-partition@offset: reason")
     */
    public <T> int readToEnd(String topic, Deserializer<T> values, Sink<T> sink, BooleanSupplier enough,
                             Consumer<String> problems) {
        int delivered = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!enough.getAsBoolean() && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after we started: not part of this reading
                    }
                    T value;
                    try {
                        value = r.value() == null ? null : values.deserialize(topic, r.value());
                    } catch (RuntimeException e) {
                        problems.accept(topic + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                        continue;
                    }
                    sink.accept(r.key(), value);
                    delivered++;
                    if (enough.getAsBoolean()) {
                        break;
                    }
                }
            }
        }
        return delivered;
    }
}
