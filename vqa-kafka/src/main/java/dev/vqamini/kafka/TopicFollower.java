package dev.vqamini.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows a topic that every instance reads in full (vqa.models, vqa.rollouts): from the beginning, outside any
 * consumer group, then every new record as it comes, on a thread of its own. A fresh instance thus bootstraps from
 * Kafka alone. Undecodable records are reported and skipped.
 */
public final class TopicFollower<T> implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<T> values;
    private final TopicReader.Sink<T> sink;
    private final Consumer<String> problems;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    /** @param consumerSettings from {@link KafkaClientSettings#consumer(String)} (no group) */
    public TopicFollower(Map<String, Object> consumerSettings, String topic, Deserializer<T> values,
                         TopicReader.Sink<T> sink, Consumer<String> problems) {
        this.consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.values = values;
        this.sink = sink;
        this.problems = problems;
        this.thread = new Thread(this::follow, "follow-" + topic);
        this.thread.setDaemon(true);
    }

    public TopicFollower<T> start() {
        thread.start();
        return this;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) { // the topic may not exist yet: wait for the bootstrap
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicReader.deliver(r, values, sink, problems);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problems.accept("stopped following " + topic + ": " + e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Waits until everything that was on the topic when following began has been delivered. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
