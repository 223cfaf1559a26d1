package dev.vqamini.pruning.jobs;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.prune.FragmentCalibration;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireSerdes;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.VideoLabel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a calibration sample off the topics without joining a consumer group (it commits nothing and does not
 * disturb the scorers): vqa.labels in full, then vqa.fragments from the beginning until enough complete videos
 * are gathered or the end offsets seen at the start are reached.
 */
final class TopicSample {

    private final String bootstrapServers;

    TopicSample(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    List<CalibrationVideo> read(int videos, Consumer<String> progress) {
        Map<String, Double> labels = new HashMap<>();
        readAll(TopicCatalog.LABELS.name(), WireSerdes.labels().deserializer(),
                (VideoLabel l) -> labels.put(l.getVideoId(), l.getMos()), () -> false, progress);
        progress.accept("read " + labels.size() + " labels from " + TopicCatalog.LABELS.name());
        FragmentCalibration calibration = new FragmentCalibration();
        readAll(TopicCatalog.FRAGMENTS.name(), WireSerdes.fragments().deserializer(), calibration::add,
                () -> calibration.completeVideos() >= videos, progress);
        List<CalibrationVideo> sample = calibration.videos(labels, videos);
        progress.accept("sampled " + sample.size() + " complete videos from " + TopicCatalog.FRAGMENTS.name());
        return sample;
    }

    private <T> void readAll(String topic, org.apache.kafka.common.serialization.Deserializer<T> values,
                             java.util.function.Consumer<T> sink, java.util.function.BooleanSupplier enough,
                             Consumer<String> progress) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("enable.auto.commit", "false");
        p.put("max.partition.fetch.bytes", TopicCatalog.LARGE_MESSAGE_BYTES);
        p.put("fetch.max.bytes", 4 * TopicCatalog.LARGE_MESSAGE_BYTES);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!enough.getAsBoolean() && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        sink.accept(values.deserialize(topic, r.value()));
                    } catch (RuntimeException e) {
                        // A bad record is the ingest side's to dead-letter; calibration just skips it.
                        progress.accept("skipped unreadable record " + topic + "-" + r.partition() + "@" + r.offset()
                                + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
