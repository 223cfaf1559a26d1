package dev.vqamini.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

    /** @param consumerSettings from {@link KafkaClientSettings#consumer(String)} (no group) */
    public TopicReader(Map<String, Object> consumerSettings) {
        settings = Map.copyOf(consumerSettings);
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
                    if (deliver(r, values, sink, problems)) {
                        delivered++;
                    }
                    if (enough.getAsBoolean()) {
                        break;
                    }
                }
            }
        }
        return delivered;
    }

    /**
     * Decodes one record and hands it to {@code sink}; a record that does not decode, or that the sink refuses, is
     * reported to {@code problems} ("topic-partition@offset: reason") and skipped, so one bad record never stops a
     * reader. A null value (a tombstone) is delivered as null.
     *
     * @return whether the sink took it
     */
    static <T> boolean deliver(ConsumerRecord<String, byte[]> r, Deserializer<T> values, Sink<T> sink,
                               Consumer<String> problems) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        T value;
        try {
            value = r.value() == null ? null : values.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            problems.accept(where + ": " + e.getMessage());
            return false;
        }
        try {
            sink.accept(r.key(), value);
            return true;
        } catch (RuntimeException e) {
            problems.accept(where + " not applied: " + e.getMessage());
            return false;
        }
    }
}
