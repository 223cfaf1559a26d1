package dev.vqamini.ingest;

import dev.vqamini.kafka.AtLeastOnceConsumer;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.PendingOffsets;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.DeadLetters;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.VideoUpload;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What drives decoding: the records on vqa.uploads (one consumer group), whether ingest accepted them itself (REST,
 * watched folder: the bytes are in the spool) or other systems sent them. When the pipeline is full the partitions
 * are paused; a record is finished only once its upload is published or dead-lettered ({@link AtLeastOnceConsumer}
 * commits below it), so an instance that dies leaves its uploads to the next one. A record whose upload already
 * finished (a re-delivery) is dropped by upload id.
 */
public class UploadEvents implements AtLeastOnceConsumer.Handler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadEvents.class);

    private final IngestPipeline pipeline;
    private final UploadSource source;
    private final UploadStatusTable status;
    private final UploadSpool spool;
    private final KafkaClientSettings kafka;
    private final MeterRegistry meters;
    private volatile AtLeastOnceConsumer loop;
    private volatile boolean running = true;
    private Thread thread;

    public UploadEvents(IngestPipeline pipeline, UploadSource source, UploadStatusTable status, UploadIntake intake,
                        KafkaClientSettings kafka, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.source = source;
        this.status = status;
        this.spool = intake.spool();
        this.kafka = kafka;
        this.meters = meters;
    }

    /** Starts consuming on its own thread once {@code topicsReady} (which may block) says the topics exist. */
    public void start(BooleanSupplier topicsReady) {
        thread = new Thread(() -> run(topicsReady), "upload-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops consuming, committing what finished; what did not is read again by the next owner. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        AtLeastOnceConsumer l = loop;
        if (l != null) {
            l.stop();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run(BooleanSupplier topicsReady) {
        try {
            if (!topicsReady.getAsBoolean() || !status.awaitCaughtUp(Duration.ofMinutes(2))) {
                LOG.error("upload records not consumed: topics or upload status not available");
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        Map<String, Object> s = kafka.groupConsumer("uploads", pipeline.settings().groupId());
        s.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one upload at a time: the pool decides the pace
        loop = new AtLeastOnceConsumer(new KafkaConsumer<>(s, new StringDeserializer(), new ByteArrayDeserializer()),
                TopicCatalog.UPLOADS.name(), Duration.ofMillis(200), Duration.ZERO).handler(this);
        if (!running) {
            loop.stop();
        }
        try {
            loop.run();
        } catch (RuntimeException e) {
            LOG.error("upload events stopped", e);
        }
    }

    @Override
    public boolean hasRoom() {
        return pipeline.hasRoom();
    }

    @Override
    public boolean accept(ConsumerRecord<String, byte[]> r, PendingOffsets.Position done) throws InterruptedException {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        VideoUpload upload;
        try {
            upload = WireSerdes.uploads().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            meters.counter("vqa.ingest.records.skipped", "topic", r.topic()).increment();
            VideoUpload raw = VideoUpload.newBuilder().setVideoId(r.key() == null ? "" : r.key()).build();
            pipeline.fail(TopicCatalog.UPLOADS.name(), raw, positionId(r), DeadLetters.Stage.INGEST_EVENT,
                    "undecodable upload event at " + where + ": " + e.getMessage());
            loop.finished(done);
            return true;
        }
        // A re-delivered record keeps its id: ours from the 202, or one derived from where it is.
        String uploadId = upload.getUploadId().isEmpty() ? positionId(r) : upload.getUploadId();
        if (upload.getVideoId().isEmpty()) {
            upload = upload.toBuilder().setVideoId(r.key() != null ? r.key() : UploadSource.idOf(upload.getUri())).build();
        }
        Optional<Path> spooled = spool.find(upload.getUri(), uploadId);
        if (status.finished(uploadId)) {
            meters.counter("vqa.ingest.duplicates.dropped").increment();
            LOG.info(String.format("upload %s (%s) at %s already finished: dropped as a duplicate", uploadId,
                    upload.getVideoId(), where));
            VideoUpload u = upload;
            spooled.ifPresent(f -> pipeline.releaseFinished(u, uploadId, f, status.get(uploadId).orElseThrow()));
            loop.finished(done);
            return true;
        }
        UploadSource.Local local;
        try {
            if (spooled.isPresent()) {
                local = new UploadSource.Local(spooled.get(), true);
            } else if (upload.getUri().startsWith(spool.root().toUri().toString())) {
                throw new IllegalArgumentException("the spooled file of upload " + uploadId + " is gone: " + upload.getUri());
            } else {
                local = source.fetch(upload.getUri());
            }
        } catch (Exception e) {
            pipeline.fail(TopicCatalog.UPLOADS.name(), upload, uploadId, DeadLetters.Stage.INGEST_FETCH, e.getMessage());
            loop.finished(done);
            return true;
        }
        Optional<CompletableFuture<IngestPipeline.Outcome>> job = pipeline.submit(
                new IngestPipeline.Job(TopicCatalog.UPLOADS.name(), upload, uploadId, local.file(), local.owned()));
        job.ifPresent(f -> f.thenRun(() -> loop.finished(done))); // not when stopped first: read again after restart
        return job.isPresent();
    }

    private static String positionId(ConsumerRecord<String, byte[]> r) {
        return "event-" + r.partition() + "-" + r.offset() + "-" + r.timestamp();
    }
}
