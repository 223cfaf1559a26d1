package dev.vqamini.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The at-least-once consumer loop of every service that works on records by hand (scorer, ingest): poll, hand each
 * record out, commit per partition only below the lowest record still in work ({@link PendingOffsets}), pause while
 * the work has no room, and on revocation commit what finished and forget the rest, so that the partition's new
 * owner (or this process after a restart) reads again exactly what was not finished. The handler tells the loop a
 * record is finished, from any thread, with {@link #finished}. Runs on one thread: {@link #run()}.
 */
public final class AtLeastOnceConsumer implements Runnable {

    /** What the loop hands records to; every method runs on the consumer thread. */
    public interface Handler {
        /**
         * Takes one record. Once its outputs are durable (acknowledged), call {@link AtLeastOnceConsumer#finished}
         * with {@code position}.
         *
         * @return false when there is no room after all: nothing was done, and the record is read again later
         */
        boolean accept(ConsumerRecord<String, byte[]> record, PendingOffsets.Position position) throws InterruptedException;

        /** Whether more records may be taken now; while not, the partitions are paused. */
        boolean hasRoom();

        /** After each poll's records were handed out (timeouts, work waiting for a resource). */
        default void afterPoll() {
        }

        /** The partitions are another consumer's now: drop half-done work of theirs without finishing it. */
        default void revoked(Collection<TopicPartition> partitions) {
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Duration pollTimeout;
    private static final System.Logger LOG = System.getLogger(AtLeastOnceConsumer.class.getName());

    private final Duration commitInterval;
    private final PendingOffsets offsets = new PendingOffsets();
    private final Queue<PendingOffsets.Position> finished = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private Handler handler;
    private volatile boolean running = true;
    private volatile boolean crashed;

    /**
     * @param commitInterval how often finished offsets are committed (zero: after every poll)
     */
    public AtLeastOnceConsumer(KafkaConsumer<String, byte[]> consumer, String topic, Duration pollTimeout,
                               Duration commitInterval) {
        this.consumer = consumer;
        this.topic = topic;
        this.pollTimeout = pollTimeout;
        this.commitInterval = commitInterval;
    }

    /** Sets the handler; once, before {@link #run()}. */
    public AtLeastOnceConsumer handler(Handler handler) {
        this.handler = handler;
        return this;
    }

    /** A record is finished: its offset may be committed once everything below it is. Any thread. */
    public void finished(PendingOffsets.Position position) {
        finished.add(position);
    }

    /** Stops after the current poll, committing what is finished. Any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Stops without committing anything more, as a killed process would (tests of re-delivery). */
    public void crash() {
        crashed = true;
        stop();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!crashed) {
                    applyFinished();
                    commit();
                }
                offsets.forget(partitions);
                paused.removeAll(partitions);
                handler.revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        long lastCommit = System.nanoTime();
        try {
            while (running) {
                applyFinished();
                throttle();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(pollTimeout)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    offsets.received(tp, r.offset());
                    if (!handler.accept(r, new PendingOffsets.Position(tp, r.offset()))) {
                        offsets.done(tp, r.offset()); // not taken: read it again once there is room
                        consumer.seek(tp, r.offset());
                        pause(consumer.assignment());
                        break;
                    }
                }
                handler.afterPoll();
                if (System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    applyFinished();
                    commit();
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stop() or crash()
        } finally {
            if (!crashed) {
                applyFinished();
                commit();
            }
            consumer.close(Duration.ofSeconds(crashed ? 0 : 5));
        }
    }

    private void applyFinished() {
        for (PendingOffsets.Position d; (d = finished.poll()) != null; ) {
            offsets.done(d.tp(), d.offset());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Set<TopicPartition> owned = consumer.assignment();
        offsets.committable().forEach((tp, o) -> {
            if (owned.contains(tp)) {
                commit.put(tp, new OffsetAndMetadata(o));
            }
        });
        if (commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The group moved on under us (a rebalance, or under the consumer protocol a newer member epoch): nothing
            // is lost, the offsets go with the next commit or the records are read again by their next owner.
            LOG.log(System.Logger.Level.INFO, "commit of " + commit + " refused, kept for later: " + e.getMessage());
        }
    }

    private void throttle() {
        if (!handler.hasRoom()) {
            pause(consumer.assignment());
        } else if (!paused.isEmpty()) {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
            paused.clear();
        }
    }

    private void pause(Set<TopicPartition> partitions) {
        Set<TopicPartition> toPause = new HashSet<>(partitions);
        toPause.removeAll(paused);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
            paused.addAll(toPause);
        }
    }
}
