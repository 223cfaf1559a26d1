package dev.vqamini.serving;

import dev.vqamini.wire.DeadLetters;
import dev.vqamini.kafka.KafkaClientSettings;
import static dev.vqamini.serving.TinyVersions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vqamini.clips.View;
import dev.vqamini.testkit.KafkaBrokerExtension;
import dev.vqamini.testkit.TestKafka;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.FragmentClip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scoring loop's consumer on a real broker (in-process without Docker), a real tiny version in service. The
 * records of one partition are laid out so a video still in work sits below finished ones: the committed offset must
 * stop at it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScoringLoopTest {

    private static final TopicPartition P0 = new TopicPartition(TopicCatalog.FRAGMENTS.name(), 0);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(50);

    private static String servers;
    private static ModelRegistry registry;
    private static KafkaProducer<String, byte[]> fragments;

    private final String group = "scoring-loop-test-" + UUID.randomUUID();
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private DynamicBatcher batcher;
    private ScoringLoop loop;
    private Thread loopThread;

    @BeforeAll
    static void broker(TestKafka kafka) throws Exception {
        servers = kafka.bootstrapServers();
        TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(servers, "test"), Duration.ofSeconds(30), (short) 1).requireConsistent();
        registry = new ModelRegistry(TinyVersions::load, new ModelRegistry.Listener() {
            @Override
            public void loaded(ServingModel model) {
            }

            @Override
            public void refused(ModelRefusedException e) {
                throw new AssertionError(e);
            }

            @Override
            public void retired(String version) {
            }
        });
        TinyVersions.chunks("v1").forEach(registry::offer);
        registry.update(TinyVersions.stable("v1"));
        await("v1 in service", registry::stableServing);
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        fragments = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeAll() {
        if (fragments != null) {
            fragments.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            loopThread.join(15_000);
        }
        if (batcher != null) {
            batcher.close();
        }
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        return c;
    }

    /** Starts this test's group at the partitions' current ends, so earlier tests' records are not its business. */
    private void groupAtEnd() {
        try (KafkaConsumer<String, byte[]> position = new KafkaConsumer<>(consumerSettings(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < TopicCatalog.FRAGMENTS.partitions(); i++) {
                all.add(new TopicPartition(TopicCatalog.FRAGMENTS.name(), i));
            }
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            position.endOffsets(all).forEach((tp, o) -> ends.put(tp, new OffsetAndMetadata(o)));
            position.commitSync(ends);
        }
    }

    private ScoringLoop start(Producer<String, byte[]> producer) {
        return start(producer, Duration.ofMinutes(5));
    }

    private ScoringLoop start(Producer<String, byte[]> producer, Duration videoTimeout) {
        Map<String, Object> c = consumerSettings();
        batcher = new DynamicBatcher(new DynamicBatcher.Settings(4, Duration.ofMillis(20), 1), TinyVersions.CLIP,
                (version, view, size, seconds, queued) -> { });
        loop = new ScoringLoop(new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer()), producer, registry,
                batcher, new ScoringLoop.Settings("test-scorer", videoTimeout, 64, COMMIT_INTERVAL, Duration.ofMillis(50)),
                new ScoringLoop.Events() {
                    @Override
                    public void videoScored(String version, double endToEndSeconds) {
                    }

                    @Override
                    public void deadLettered(DeadLetters.Kind kind, String reason) {
                        deadLetters.add(kind.tag());
                    }

                    @Override
                    public void fellBackToStable(String wanted, String stable) {
                    }
                }, message -> System.err.println("scoring loop: " + message));
        loopThread = new Thread(loop, "scoring-loop-test");
        loopThread.setUncaughtExceptionHandler((t, e) -> e.printStackTrace());
        loopThread.start();
        return loop;
    }

    /** The group's committed offset on partition 0, if any. */
    private OptionalLong committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(P0);
            return o == null ? OptionalLong.empty() : OptionalLong.of(o.offset());
        }
    }

    /** Waits until the committed offset is {@code expected}; fails if it is ever seen above it. */
    private void awaitCommitted(long expected) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            OptionalLong c = committed();
            assertTrue(c.isEmpty() || c.getAsLong() <= expected, "committed " + c + ", past " + expected);
            if (c.isPresent() && c.getAsLong() == expected) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "committed " + c + ", never " + expected);
            Thread.sleep(20);
        }
    }

    /** Checks for a while (many commit intervals) that the committed offset stays exactly where it is. */
    private void assertStaysCommitted(long expected) throws Exception {
        for (int i = 0; i < 8; i++) {
            assertEquals(OptionalLong.of(expected), committed(), "check " + i);
            Thread.sleep(COMMIT_INTERVAL.toMillis());
        }
    }

    private static long send(byte[] value, String key) throws Exception {
        return fragments.send(new ProducerRecord<>(P0.topic(), P0.partition(), key, value)).get().offset();
    }

    /** A clip written with the given log time (the producer's timestamp), as a clip delayed by an outage keeps its own. */
    private static long send(FragmentClip clip, long timestampMs) throws Exception {
        return fragments.send(new ProducerRecord<>(P0.topic(), P0.partition(), timestampMs, clip.getVideoId(), clip.toByteArray()))
                .get().offset();
    }

    private static long send(FragmentClip clip) throws Exception {
        return send(clip.toByteArray(), clip.getVideoId());
    }

    /** A video's records: 3 technical clips, then 1 aesthetic clip. */
    private static List<FragmentClip> video(String id) {
        List<FragmentClip> out = new ArrayList<>();
        int seed = id.hashCode();
        for (View view : View.values()) {
            int count = view == View.TECHNICAL ? 3 : 1;
            for (int c = 0; c < count; c++) {
                FragmentClip.Builder b = FragmentClip.newBuilder().setVideoId(id).setUploadId("upload-" + id)
                        .setView(WireViews.toWire(view)).setClipIndex(c).setClipCount(count).setBatch(1).setChannels(3)
                        .setFrames(TinyVersions.CLIP.frames()).setHeight(TinyVersions.CLIP.height()).setWidth(TinyVersions.CLIP.width())
                        .setPixels(ByteString.copyFrom(TinyVersions.clip(seed++))).setIngestTimeMs(System.currentTimeMillis())
                        .setDataset("test");
                for (int t = 0; t < TinyVersions.CLIP.frames(); t++) {
                    b.addFrameIndices(t);
                }
                out.add(b.build());
            }
        }
        return out;
    }

    @Test
    void theCommittedOffsetStopsAtAVideoStillGatheringItsClips() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> scores = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            groupAtEnd();
            // partition 0: [junk] [a t0 t1 t2] [b t0 t1 t2 a0] ; a's aesthetic clip comes later
            long junk = send(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, "junk");
            List<FragmentClip> a = video("a-" + group);
            long aFirst = send(a.get(0));
            send(a.get(1));
            send(a.get(2));
            long last = 0;
            for (FragmentClip clip : video("b-" + group)) {
                last = send(clip);
            }
            ScoringLoop l = start(scores);

            await("video b scored", () -> l.videosScored() == 1);
            // the junk record is dead-lettered (finished), b is scored and acknowledged: a, below b, is still in work
            awaitCommitted(aFirst);
            assertEquals(List.of("undecodable"), deadLetters);
            assertTrue(aFirst == junk + 1);
            assertStaysCommitted(aFirst);

            long aLast = send(a.get(3));
            await("video a scored", () -> l.videosScored() == 2);
            awaitCommitted(aLast + 1);
            assertTrue(aLast > last);
        }
    }

    @Test
    void recordsAreCommittedOnlyOnceTheirOutputsAreAcknowledgedAndOutputsThatFailedAreSentAgain() throws Exception {
        MockProducer<String, byte[]> scores = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        String c = "c-" + group;
        String d = "d-" + group;
        long cFirst = 0;
        long dLast = 0;
        groupAtEnd();
        List<FragmentClip> cv = video(c);
        for (int i = 0; i < cv.size(); i++) {
            long o = send(cv.get(i));
            cFirst = i == 0 ? o : cFirst;
        }
        for (FragmentClip clip : video(d)) {
            dLast = send(clip);
        }
        start(scores);
        // each video writes 4 clip scores and 1 video score; none acknowledged yet
        await("both videos' outputs sent", () -> scores.history().size() == 10);
        awaitCommitted(cFirst); // the group's starting point: nothing of c or d is finished
        assertStaysCommitted(cFirst);

        // d's outputs acknowledged, c's rejected by the broker: c stays pending and holds the commit below it
        List<ProducerRecord<String, byte[]>> sent = scores.history();
        for (ProducerRecord<String, byte[]> r : sent) {
            if (r.key().equals(c)) {
                assertTrue(scores.errorNext(new KafkaException("broker rejected " + r.topic())));
            } else {
                assertTrue(scores.completeNext());
            }
        }
        assertEquals(List.of(c, d), sent.stream().filter(r -> r.topic().equals(TopicCatalog.VIDEO_SCORES.name()))
                .map(ProducerRecord::key).sorted().toList());
        assertStaysCommitted(cFirst);

        // c's outputs are sent again, not stranded: once acknowledged, everything up to d is committed
        await("c's outputs sent again", () -> scores.history().size() == 15);
        assertEquals(List.of(c), scores.history().subList(10, 15).stream().map(ProducerRecord::key).distinct().toList());
        while (scores.completeNext()) {
            assertTrue(scores.history().size() == 15);
        }
        awaitCommitted(dLast + 1);
        assertTrue(dLast > cFirst);
    }

    @Test
    void aVideoIsGivenUpOnlyWhenItsPartitionMovedOnInLogTimeNotWhenTheClockDid() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> scores = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            groupAtEnd();
            long t0 = System.currentTimeMillis();
            List<FragmentClip> late = video("late-" + group);
            for (FragmentClip clip : late.subList(0, 3)) {
                send(clip, t0);
            }
            ScoringLoop l = start(scores, Duration.ofSeconds(1));
            // the rest of its clips held up (an outage) for three timeouts of this process's clock: still waited for
            Thread.sleep(3000);
            assertEquals(List.of(), deadLetters);
            send(late.get(3), t0);
            await("the late video scored", () -> l.videosScored() == 1);

            // a video whose clips stop while its partition goes on: given up once a record 2 s (log time) newer is read
            List<FragmentClip> stopped = video("stopped-" + group);
            for (FragmentClip clip : stopped.subList(0, 3)) {
                send(clip, t0);
            }
            Thread.sleep(500);
            assertEquals(List.of(), deadLetters);
            for (FragmentClip clip : video("after-" + group)) {
                send(clip, t0 + 2000);
            }
            await("the stopped video dead-lettered", () -> deadLetters.equals(List.of("incomplete")));
            await("the video after it scored", () -> l.videosScored() == 2);
        }
    }
}
