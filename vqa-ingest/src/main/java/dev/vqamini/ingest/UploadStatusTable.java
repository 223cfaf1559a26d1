package dev.vqamini.ingest;

import dev.vqamini.kafka.Acks;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicFollower;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.UploadState;
import dev.vqamini.wire.proto.UploadStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload status, kept in Kafka (vqa.upload-status, compacted, keyed by upload id) rather than in memory, so
 * {@code GET /uploads/{id}} answers on every instance and after a restart. Each instance follows the topic into a
 * bounded table of the newest states.
 */
public class UploadStatusTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStatusTable.class);
    private static final int KEPT = 100_000;

    /** An upload's state as the REST API shows it. */
    public record View(String uploadId, String videoId, String state, String reason, int records) {
        static View of(UploadStatus s) {
            String state = s.getState().name().substring("UPLOAD_STATE_".length()).toLowerCase(Locale.ROOT);
            return new View(s.getUploadId(), s.getVideoId(), state, s.getReason().isEmpty() ? null : s.getReason(),
                    s.getRecords());
        }
    }

    private final Map<String, UploadStatus> table = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UploadStatus> eldest) {
            return size() > KEPT;
        }
    });
    private final KafkaProducer<String, byte[]> producer;
    private final TopicFollower<UploadStatus> follower;

    public UploadStatusTable(KafkaClientSettings kafka, MeterRegistry meters) {
        this.producer = new KafkaProducer<>(kafka.producer("upload-status"), new StringSerializer(), new ByteArraySerializer());
        this.follower = new TopicFollower<>(kafka.consumer("upload-status"), TopicCatalog.UPLOAD_STATUS.name(),
                WireSerdes.uploadStatus().deserializer(), (k, s) -> remember(s), problem -> {
                    LOG.warn(problem);
                    meters.counter("vqa.ingest.records.skipped", "topic", TopicCatalog.UPLOAD_STATUS.name()).increment();
                }).start();
    }

    /** Records a state, here and on Kafka; the future completes once Kafka acknowledged it. */
    public CompletableFuture<Void> put(String uploadId, String videoId, UploadState state, String reason, int records) {
        UploadStatus s = UploadStatus.newBuilder().setUploadId(uploadId).setVideoId(videoId).setState(state)
                .setReason(reason == null ? "" : reason).setRecords(records).setUpdatedAtMs(System.currentTimeMillis()).build();
        remember(s);
        return Acks.send(producer, TopicCatalog.UPLOAD_STATUS.name(), uploadId, s);
    }

    /** Waits until the states already on Kafka are known here (before deciding what is a duplicate). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    public Optional<View> get(String uploadId) {
        return Optional.ofNullable(table.get(uploadId)).map(View::of);
    }

    /** Whether the upload already reached its end (published or failed): a re-delivered record is a duplicate. */
    public boolean finished(String uploadId) {
        UploadStatus s = table.get(uploadId);
        return s != null && finished(s);
    }

    private static boolean finished(UploadStatus s) {
        return s.getState() == UploadState.UPLOAD_STATE_PUBLISHED || s.getState() == UploadState.UPLOAD_STATE_FAILED;
    }

    /** The newest state wins, except that a finished upload never goes back to accepted (a replayed old record). */
    private void remember(UploadStatus s) {
        table.merge(s.getUploadId(), s, (old, now) -> finished(old) && !finished(now) ? old : now);
    }

    @Override
    public void close() throws InterruptedException {
        follower.close();
        producer.close(Duration.ofSeconds(5));
    }
}
