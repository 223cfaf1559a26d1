package dev.vqamini.metrics.streams;

import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.VersionWindow;
import dev.vqamini.kafka.KafkaClientSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.quality.VersionRow;
import dev.vqamini.quality.VersionTable;
import dev.vqamini.testkit.SharedKafkaBroker;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.VideoLabel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A restart on a machine with no local state (a new pod): the stores restore from their changelog topics on the real
 * broker and the per-version table is the same as before.
 */
class QualityRestartTest {

    @Test
    void aRestartedInstanceAnswersTheSameTable() throws Exception {
        String servers = SharedKafkaBroker.get().bootstrapServers();
        TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(servers, "test"), Duration.ofSeconds(30), (short) 1);
        String app = "restart-test-" + UUID.randomUUID().toString().substring(0, 6);
        String version = app + "-v1";
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 30; i++) {
                String id = app + "-video-" + i;
                p.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), id,
                        QualityTopologyTest.score(id, version, Math.sin(i), 1_000L * i).toByteArray()));
                p.send(new ProducerRecord<>(TopicCatalog.LABELS.name(), id,
                        VideoLabel.newBuilder().setVideoId(id).setMos(i).build().toByteArray()));
            }
        }
        List<VersionRow> before;
        KafkaStreams first = start(servers, app);
        try {
            before = awaitRow(first, version, 30);
        } finally {
            first.close(Duration.ofSeconds(10));
            first.cleanUp(); // the local state is gone, as on a new machine
        }
        KafkaStreams second = start(servers, app);
        try {
            List<VersionRow> after = awaitRow(second, version, 30);
            assertEquals(before, after);
            assertTrue(after.get(0).srcc() != null && after.get(0).labelled() == 30);
        } finally {
            second.close(Duration.ofSeconds(10));
            second.cleanUp();
        }
    }

    private static KafkaStreams start(String servers, String app) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams-" + app).toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put("consumer.auto.offset.reset", "earliest");
        KafkaStreams streams = new KafkaStreams(QualityTopology.build(500), p);
        streams.start();
        return streams;
    }

    private static List<VersionRow> awaitRow(KafkaStreams streams, String version, int labelled) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, VersionWindow> windows = new HashMap<>();
                Map<String, VersionStats> stats = new HashMap<>();
                streams.<ReadOnlyKeyValueStore<String, VersionWindow>>store(
                        StoreQueryParameters.fromNameAndType(QualityTopology.WINDOWS, QueryableStoreTypes.keyValueStore()))
                        .all().forEachRemaining(kv -> windows.put(kv.key, kv.value));
                streams.<ReadOnlyKeyValueStore<String, VersionStats>>store(
                        StoreQueryParameters.fromNameAndType(QualityTopology.STATS, QueryableStoreTypes.keyValueStore()))
                        .all().forEachRemaining(kv -> stats.put(kv.key, kv.value));
                List<VersionRow> rows = new VersionTable().rows(Map.of(version, windows.getOrDefault(version, VersionWindow.empty())),
                        stats.containsKey(version) ? Map.of(version, stats.get(version)) : Map.of());
                if (!rows.isEmpty() && rows.get(0).labelled() == labelled) {
                    return rows;
                }
            } catch (InvalidStateStoreException e) {
                // starting or restoring
            }
            Thread.sleep(300);
        }
        throw new AssertionError("version " + version + " never reached " + labelled + " labelled videos");
    }
}
