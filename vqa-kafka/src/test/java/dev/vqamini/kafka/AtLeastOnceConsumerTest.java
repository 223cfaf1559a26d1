package dev.vqamini.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.testkit.KafkaBrokerExtension;
import dev.vqamini.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one consumer loop on a real broker: a stop commits exactly below the lowest unfinished record, so the next
 * consumer of the group gets that record and everything after it again; a crash commits nothing more.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AtLeastOnceConsumerTest {

    private static final int RECORDS = 10;
    private static final long UNFINISHED = 4;

    /** Takes every record, finishing all but {@code unfinished} at once. */
    private static final class Handler implements AtLeastOnceConsumer.Handler {
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final Set<Long> unfinished;
        AtLeastOnceConsumer loop;

        Handler(Set<Long> unfinished) {
            this.unfinished = unfinished;
        }

        @Override
        public boolean accept(ConsumerRecord<String, byte[]> record, PendingOffsets.Position position) {
            seen.add(record.offset());
            if (!unfinished.contains(record.offset())) {
                loop.finished(position);
            }
            return true;
        }

        @Override
        public boolean hasRoom() {
            return true;
        }
    }

    @Test
    void stopCommitsBelowTheLowestUnfinishedRecordAndCrashCommitsNothing(TestKafka kafka) throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.plaintext(kafka.bootstrapServers(), "alo-test");
        String topic = "alo-" + UUID.randomUUID();
        String group = "alo-group-" + UUID.randomUUID();
        try (Admin admin = settings.newAdmin("alo", 30_000)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("alo"), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(topic, "v" + i, new byte[]{(byte) i})).get();
                }
            }

            Handler first = run(settings, topic, group, Set.of(UNFINISHED), false);
            assertEquals(RECORDS, first.seen.size(), "the first consumer took every record");
            assertEquals(UNFINISHED, committed(admin, group, topic), "committed up to the unfinished record, not past it");

            Handler second = run(settings, topic, group, Set.of(), false);
            assertEquals(RECORDS - UNFINISHED, second.seen.size(), "the unfinished record and all after it came again");
            assertTrue(second.seen.contains(UNFINISHED));
            assertEquals(RECORDS, committed(admin, group, topic));

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("alo"), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, "late", new byte[]{1})).get();
            }
            Handler crashed = run(settings, topic, group, Set.of(), true);
            assertEquals(1, crashed.seen.size());
            assertEquals(RECORDS, committed(admin, group, topic), "a crash commits nothing more: the record comes again");
        }
    }

    /**
     * A member joins and another leaves while records flow, committing after every poll, under each group protocol:
     * every record is finished by someone and committed, and no loop ends on a commit the moving group refuses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void loopsOutliveRebalancesAndCommitEverything(String protocol, TestKafka kafka) throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.plaintext(kafka.bootstrapServers(), "alo-test").withGroupProtocol(protocol);
        String topic = "alo-rebalance-" + UUID.randomUUID();
        String group = "alo-rebalance-" + UUID.randomUUID();
        int partitions = 3;
        int records = 300;
        try (Admin admin = settings.newAdmin("alo", 30_000);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("alo"), new StringSerializer(),
                     new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Set<String> finished = ConcurrentHashMap.newKeySet();
            List<AtLeastOnceConsumer> loops = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "v" + i, new byte[]{(byte) i}));
                if (i == 0 || i == 100) { // the first member, then a second joining mid-stream
                    AtLeastOnceConsumer loop = new AtLeastOnceConsumer(new KafkaConsumer<>(settings.groupConsumer("alo", group),
                            new StringDeserializer(), new ByteArrayDeserializer()), topic, Duration.ofMillis(50), Duration.ZERO);
                    loop.handler(new AtLeastOnceConsumer.Handler() {
                        @Override
                        public boolean accept(ConsumerRecord<String, byte[]> r, PendingOffsets.Position position) {
                            finished.add(r.partition() + "@" + r.offset());
                            loop.finished(position);
                            return true;
                        }

                        @Override
                        public boolean hasRoom() {
                            return true;
                        }
                    });
                    Thread t = new Thread(loop, "alo-rebalance-" + i);
                    t.start();
                    loops.add(loop);
                    threads.add(t);
                }
                if (i == 200) { // the first leaves cleanly, as a scorer scaled in
                    assertTrue(threads.get(0).isAlive(), protocol + ": the first loop ended on its own");
                    loops.get(0).stop();
                    threads.get(0).join(30_000);
                }
                Thread.sleep(20);
            }
            producer.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                if (committed == records) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(threads.get(1).isAlive(), protocol + ": the second loop ended on its own");
            loops.get(1).stop();
            threads.get(1).join(30_000);
            assertEquals(records, finished.size(), protocol + ": every record finished by a member");
            assertEquals(records, committed, protocol + ": every record committed");
        }
    }

    /** Runs a loop until it has seen every record it will get, then stops it cleanly or as a crash. */
    private static Handler run(KafkaClientSettings settings, String topic, String group, Set<Long> unfinished, boolean crash)
            throws Exception {
        Map<String, Object> config = settings.groupConsumer("alo", group);
        Handler handler = new Handler(unfinished);
        // a long commit interval: only the stop may commit, so what it commits is what the test checks
        AtLeastOnceConsumer loop = new AtLeastOnceConsumer(new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer()), topic, Duration.ofMillis(100), Duration.ofHours(1)).handler(handler);
        handler.loop = loop;
        Thread thread = new Thread(loop, "alo-test");
        thread.start();
        long quietSince = System.nanoTime();
        int last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) { // seen nothing new for 3 s after seeing something: all there is
            if (handler.seen.size() != last) {
                last = handler.seen.size();
                quietSince = System.nanoTime();
            } else if (last > 0 && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                break;
            }
            Thread.sleep(100);
        }
        if (crash) {
            loop.crash();
        } else {
            loop.stop();
        }
        thread.join(30_000);
        return handler;
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
        return o == null ? -1 : o.offset();
    }
}
