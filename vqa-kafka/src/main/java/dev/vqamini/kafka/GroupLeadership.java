package dev.vqamini.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One active member among many instances, elected by Kafka itself: every instance joins the same consumer group on
 * a one-partition topic, and the member the group assigns partition 0 leads. When the leader stops (closes: at once;
 * dies: after the session timeout) the group hands the partition, and so the lead, to another member. The member
 * never reads the records (the partition is paused); it only keeps its membership alive on its own thread.
 *
 * <p>Kafka gives no fencing here: a leader cut off from the group may act for up to a session timeout after another
 * took over, so what a leader writes must also be guarded (the rollout controller writes compare-and-set on the
 * rollout revision).
 */
public final class GroupLeadership implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean leader;

    /**
     * @param kafka          the process's client settings
     * @param groupId        the election: instances with the same id compete
     * @param topic          a topic with exactly one partition
     * @param sessionTimeout how long a dead leader keeps the lead
     */
    public GroupLeadership(KafkaClientSettings kafka, String groupId, String topic, Duration sessionTimeout,
                           Consumer<String> log) {
        Map<String, Object> settings = kafka.groupConsumer("leadership-" + groupId, groupId);
        // classic whatever the process's protocol: the election times its own session (the consumer protocol's is the broker's)
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 5));
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.log = log;
        this.thread = new Thread(this::member, "leadership-" + groupId);
        this.thread.setDaemon(true);
    }

    public GroupLeadership start() {
        thread.start();
        return this;
    }

    /** Whether this instance leads now. */
    public boolean leader() {
        return leader;
    }

    private void member() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    leader = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    consumer.pause(partitions); // membership only: nothing is read
                    boolean was = leader;
                    leader = consumer.assignment().contains(new TopicPartition(topic, 0));
                    if (leader != was) {
                        log.accept((leader ? "leads" : "no longer leads") + " (group " + consumer.groupMetadata().groupId() + ")");
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    leader = false;
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(500));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.accept("left the election of " + topic + ": " + e);
        } finally {
            leader = false;
            consumer.close(Duration.ofSeconds(5)); // leaves the group, so another member takes over at once
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        leader = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
