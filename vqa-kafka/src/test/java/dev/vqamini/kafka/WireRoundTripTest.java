package dev.vqamini.kafka;

import dev.vqamini.testkit.KafkaBrokerExtension;
import dev.vqamini.testkit.TestKafka;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vqamini.clips.View;
import dev.vqamini.kafka.serde.ProtobufSerde;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import dev.vqamini.wire.proto.SourceMetadata;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import dev.vqamini.wire.proto.VideoUpload;
import dev.vqamini.wire.proto.ViewKind;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every record type of the catalog through a real broker with the production serdes and topic settings. */
@ExtendWith(KafkaBrokerExtension.class)
class WireRoundTripTest {

    private static final int CLIP_BYTES = 1 * 3 * 32 * 224 * 224;

    @BeforeAll
    static void topics(TestKafka kafka) {
        TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(kafka.bootstrapServers(), "test"), Duration.ofSeconds(30), (short) 1).requireConsistent();
    }

    @Test
    void upload(TestKafka kafka) throws Exception {
        VideoUpload upload = VideoUpload.newBuilder().setVideoId("vid-1").setUri("file:///data/vid-1.mp4")
                .setMos(3.75).setDataset("KoNViD-1k").setSubmittedAtMs(1_700_000_000_000L).build();
        VideoUpload unlabelled = VideoUpload.newBuilder().setVideoId("vid-2").setUri("https://x/y.mp4").build();
        assertRoundTrip(kafka, TopicCatalog.UPLOADS, "vid-1", upload, WireSerdes.uploads());
        VideoUpload back = assertRoundTrip(kafka, TopicCatalog.UPLOADS, "vid-2", unlabelled, WireSerdes.uploads());
        assertTrue(!back.hasMos(), "an absent MOS stays absent, not 0");
    }

    @Test
    void clipScore(TestKafka kafka) throws Exception {
        ClipScore score = ClipScore.newBuilder().setVideoId("vid-1").setView(WireViews.toWire(View.TECHNICAL))
                .setClipIndex(1).setClipCount(3).setModelVersion("bootstrap-0.1").setRawScore(-0.4321)
                .setInferenceMs(481.25).setBatchSize(4).setScorerId("scorer-0").setIngestTimeMs(42).build();
        assertRoundTrip(kafka, TopicCatalog.CLIP_SCORES, "vid-1", score, WireSerdes.clipScores());
    }

    @Test
    void videoScore(TestKafka kafka) throws Exception {
        VideoScoreRecord score = VideoScoreRecord.newBuilder().setVideoId("vid-1").setModelVersion("bootstrap-0.1")
                .setTechnical(0.61).setAesthetic(0.47).setFused(0.55).setEndToEndMs(2_345.5).setMos(3.2).build();
        assertRoundTrip(kafka, TopicCatalog.VIDEO_SCORES, "vid-1", score, WireSerdes.videoScores());
    }

    @Test
    void label(TestKafka kafka) throws Exception {
        VideoLabel label = VideoLabel.newBuilder().setVideoId("vid-1").setMos(4.1).setDataset("LIVE-VQC").build();
        assertRoundTrip(kafka, TopicCatalog.LABELS, "vid-1", label, WireSerdes.labels());
    }

    @Test
    void modelChunk(TestKafka kafka) throws Exception {
        byte[] archive = randomBytes(3 * 1024 * 1024, 7);
        ModelChunk chunk = ModelChunk.newBuilder().setModelName("dover-mobile").setModelVersion("v2")
                .setChunkIndex(0).setChunkCount(1).setTotalBytes(archive.length)
                .setArchiveSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)))
                .setData(ByteString.copyFrom(archive)).build();
        ModelChunk back = assertRoundTrip(kafka, TopicCatalog.MODELS, TopicCatalog.modelChunkKey("v2", 0), chunk,
                WireSerdes.models());
        assertArrayEquals(archive, back.getData().toByteArray());
    }

    @Test
    void rollout(TestKafka kafka) throws Exception {
        Rollout rollout = Rollout.newBuilder().setModelName("dover-mobile").setStableVersion("v1")
                .addCandidates(RolloutCandidate.newBuilder().setModelVersion("v2-pruned50").setTrafficWeight(0.1))
                .addCandidates(RolloutCandidate.newBuilder().setModelVersion("v3-pruned70").setTrafficWeight(0.05))
                .setUpdatedAtMs(99).build();
        assertRoundTrip(kafka, TopicCatalog.ROLLOUTS, "dover-mobile", rollout, WireSerdes.rollouts());
    }

    @Test
    void deadLetterCarriesTheOriginalBytesForReplay(TestKafka kafka) throws Exception {
        byte[] original = fragment("vid-9", ViewKind.VIEW_KIND_AESTHETIC, 0, 11).toByteArray();
        DeadLetter letter = DeadLetter.newBuilder().setStage("scorer").setReason("tensor shape mismatch")
                .setOriginalTopic(TopicCatalog.FRAGMENTS.name()).setOriginalPartition(2).setOriginalOffset(12345)
                .setOriginalKey(ByteString.copyFromUtf8("vid-9")).setOriginalValue(ByteString.copyFrom(original))
                .setFailedAtMs(7).setErrorType("java.lang.IllegalArgumentException").build();
        DeadLetter back = assertRoundTrip(kafka, TopicCatalog.DLQ, "vid-9", letter, WireSerdes.deadLetters());
        assertArrayEquals(original, back.getOriginalValue().toByteArray());
        assertEquals(fragment("vid-9", ViewKind.VIEW_KIND_AESTHETIC, 0, 11), FragmentClip.parseFrom(back.getOriginalValue()));
    }

    /** Two full-size clips (9.2 MiB of incompressible pixels) in one zstd batch on the 16 MiB topic. */
    @Test
    void fragmentBatchOver6MiBWithZstd(TestKafka kafka) throws Exception {
        List<FragmentClip> clips = List.of(
                fragment("vid-big", ViewKind.VIEW_KIND_TECHNICAL, 0, 1),
                fragment("vid-big", ViewKind.VIEW_KIND_AESTHETIC, 0, 2));
        assertTrue(clips.stream().mapToLong(c -> c.getPixels().size()).sum() > 6L * 1024 * 1024);
        ProtobufSerde<FragmentClip> serde = WireSerdes.fragments();
        Map<String, Object> config = producerConfig(kafka);
        config.putAll(LargeRecordSettings.producer());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, TopicCatalog.LARGE_MESSAGE_BYTES);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 200);
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, FragmentClip> producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (FragmentClip clip : clips) {
                futures.add(producer.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), "vid-big", clip)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) {
                sent.add(f.get(60, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < clips.size(); i++) {
            ConsumerRecord<String, byte[]> raw = readAt(kafka, sent.get(i));
            FragmentClip back = serde.deserializer().deserialize(raw.topic(), raw.value());
            assertArrayEquals(clips.get(i).getPixels().toByteArray(), back.getPixels().toByteArray(), "pixels identical");
            assertArrayEquals(clips.get(i).toByteArray(), raw.value(), "record bytes identical");
            assertEquals(clips.get(i), back);
        }
    }

    /** The settings above are what make it pass: a producer with defaults refuses the same clip. */
    @Test
    void defaultProducerRefusesAFullClip(TestKafka kafka) {
        FragmentClip clip = fragment("vid-big", ViewKind.VIEW_KIND_TECHNICAL, 0, 3);
        try (KafkaProducer<String, FragmentClip> producer = new KafkaProducer<>(producerConfig(kafka),
                new StringSerializer(), WireSerdes.fragments().serializer())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer
                    .send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), "vid-big", clip)).get(60, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
        }
    }

    private static <T extends Message> T assertRoundTrip(TestKafka kafka, TopicSpec topic, String key, T message,
                                                         ProtobufSerde<T> serde) throws Exception {
        Map<String, Object> config = producerConfig(kafka);
        if (topic.maxMessageBytes() == TopicCatalog.LARGE_MESSAGE_BYTES) {
            config.putAll(LargeRecordSettings.producer()); // as producers of large topics must
        }
        RecordMetadata meta;
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(config, new StringSerializer(),
                serde.serializer())) {
            meta = producer.send(new ProducerRecord<>(topic.name(), key, message)).get(30, TimeUnit.SECONDS);
        }
        ConsumerRecord<String, byte[]> raw = readAt(kafka, meta);
        assertEquals(key, raw.key());
        assertArrayEquals(message.toByteArray(), raw.value(), "payload bytes identical on " + topic.name());
        T back = serde.deserializer().deserialize(topic.name(), raw.value());
        assertEquals(message, back);
        return back;
    }

    private static Map<String, Object> producerConfig(TestKafka kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** Reads exactly the record the producer wrote, by partition and offset: no group, no interference. */
    private static ConsumerRecord<String, byte[]> readAt(TestKafka kafka, RecordMetadata meta) {
        Map<String, Object> config = new HashMap<>(LargeRecordSettings.consumer());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(meta.topic(), meta.partition());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, meta.offset());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() == meta.offset()) {
                        return r;
                    }
                }
            }
            throw new AssertionError("record " + tp + "@" + meta.offset() + " not readable within 30 s");
        }
    }

    private static FragmentClip fragment(String id, ViewKind view, int clipIndex, long seed) {
        return FragmentClip.newBuilder().setVideoId(id).setView(view).setClipIndex(clipIndex).setClipCount(1)
                .addAllFrameIndices(IntStream.range(0, 32).map(i -> i * 2).boxed().toList())
                .setBatch(1).setChannels(3).setFrames(32).setHeight(224).setWidth(224)
                .setPixels(ByteString.copyFrom(randomBytes(CLIP_BYTES, seed)))
                .setSource(SourceMetadata.newBuilder().setWidth(1920).setHeight(1080).setFps(29.97)
                        .setFrameCount(240).setCodec("h264").setRotation(90))
                .setIngestTimeMs(1_700_000_000_123L).setMos(2.5).setDataset("synthetic").build();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b); // incompressible: zstd cannot shrink it below the limits
        return b;
    }
}
