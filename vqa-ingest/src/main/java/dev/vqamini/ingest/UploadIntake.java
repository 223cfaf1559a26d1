package dev.vqamini.ingest;

import dev.vqamini.kafka.Acks;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.UploadState;
import dev.vqamini.wire.proto.VideoUpload;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance: an upload is accepted only once it can no longer be lost: its bytes in the {@link UploadSpool} (fsync)
 * and its record on vqa.uploads acknowledged by all in-sync replicas. Only then may the caller answer 202. Decoding is
 * driven from that topic ({@link UploadEvents}), so whichever instance is alive finishes it.
 */
public class UploadIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadIntake.class);

    /** Why an upload was not accepted; the caller answers 503 with Retry-After. */
    public static final class NotAccepted extends Exception {
        NotAccepted(String message) {
            super(message);
        }
    }

    private final UploadSpool spool;
    private final UploadStatusTable status;
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry meters;
    private final Duration timeout;

    public UploadIntake(IngestSettings settings, KafkaClientSettings kafka, UploadStatusTable status, MeterRegistry meters)
            throws IOException {
        this.spool = new UploadSpool(settings.spoolDir().orElse(Path.of(System.getProperty("java.io.tmpdir"),
                "vqa-ingest-spool")), settings.spoolMaxBytes());
        this.status = status;
        this.meters = meters;
        this.timeout = settings.acceptTimeout();
        this.producer = new KafkaProducer<>(kafka.producer("uploads"), new StringSerializer(), new ByteArraySerializer());
        meters.gauge("vqa.ingest.spool.bytes", spool, UploadSpool::usedBytes);
    }

    public UploadSpool spool() {
        return spool;
    }

    /**
     * Accepts an upload: {@code file} (when not null) is moved into the spool as {@code name}; the record and an
     * "accepted" status go to Kafka. On any failure the file is moved back where it was and nothing is on Kafka that
     * names it.
     *
     * @return the upload id
     * @throws NotAccepted when the spool is full or Kafka did not acknowledge in time
     */
    public String accept(VideoUpload upload, Path file, String name, String source) throws NotAccepted, IOException {
        String uploadId = UUID.randomUUID().toString();
        VideoUpload.Builder record = upload.toBuilder().setUploadId(uploadId).setSource(source);
        Path spooled = null;
        if (file != null) {
            Optional<Path> taken = spool.take(file, uploadId, name);
            if (taken.isEmpty()) {
                meters.counter("vqa.ingest.videos.refused", "reason", "spool_full").increment();
                throw new NotAccepted("the upload spool is full (" + spool.usedBytes() + " of " + spool.maxBytes()
                        + " bytes, vqa.ingest.spool-max-bytes): retry later");
            }
            spooled = taken.get();
            record.setUri(spooled.toUri().toString());
        }
        VideoUpload u = record.build();
        try {
            CompletableFuture.allOf(Acks.send(producer, TopicCatalog.UPLOADS.name(), u.getVideoId(), u),
                    status.put(uploadId, u.getVideoId(), UploadState.UPLOAD_STATE_ACCEPTED, null, 0))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (spooled != null) {
                spool.giveBack(spooled, file);
            }
            meters.counter("vqa.ingest.videos.refused", "reason", "kafka").increment();
            LOG.warn(String.format("upload %s of %s not accepted: Kafka did not acknowledge its record: %s", uploadId,
                    u.getVideoId(), e));
            throw new NotAccepted("Kafka did not acknowledge the upload record within " + timeout.toSeconds()
                    + " s: retry later");
        }
        meters.counter("vqa.ingest.videos.accepted", "source", source).increment();
        return uploadId;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
