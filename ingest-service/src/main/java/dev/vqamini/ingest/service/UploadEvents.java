package dev.vqamini.ingest.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.service.TopicsAtStartup;
import dev.vqamini.kafka.PendingOffsets;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.VideoUpload;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.nio.file.Path;
import dev.vqamini.ingest.UploadSpool;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * What drives decoding: the records on vqa.uploads (one consumer group), whether ingest accepted them itself (REST,
 * watched folder: the bytes are in the spool) or other systems sent them. When the pipeline is full the partitions
 * are paused; an offset is committed only once its upload is published or dead-lettered, so an instance that dies
 * leaves its uploads to the next one. A record whose upload already finished (a re-delivery) is dropped by upload id.
 */
@ApplicationScoped
public class UploadEvents {

    private static final Logger LOG = Logger.getLogger(UploadEvents.class);

    private final IngestPipeline pipeline;
    private final UploadSource source;
    private final UploadStatusTable status;
    private final UploadSpool spool;
    private final KafkaClientSettings kafka;
    private final TopicsAtStartup topics;
    private final MeterRegistry meters;
    private final Queue<PendingOffsets.Position> finished = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    UploadEvents(IngestPipeline pipeline, UploadSource source, UploadStatusTable status, UploadIntake intake,
                 KafkaClientSettings kafka, TopicsAtStartup topics, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.source = source;
        this.status = status;
        this.spool = intake.spool();
        this.kafka = kafka;
        this.topics = topics;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "upload-events");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run() {
        try {
            if (!topics.awaitTopics() || !status.awaitCaughtUp(Duration.ofMinutes(2))) {
                LOG.error("upload records not consumed: topics or upload status not available");
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        Map<String, Object> s = kafka.groupConsumer("uploads", pipeline.settings().groupId());
        s.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one upload at a time: the pool decides the pace
        PendingOffsets offsets = new PendingOffsets();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(s, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(TopicCatalog.UPLOADS.name()));
            while (running) {
                for (PendingOffsets.Position d; (d = finished.poll()) != null; ) {
                    offsets.done(d.tp(), d.offset());
                }
                if (pipeline.hasRoom()) {
                    c.resume(c.paused());
                } else {
                    c.pause(c.assignment());
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    offsets.received(tp, r.offset());
                    if (!handle(r, tp)) { // no room after all: read it again once there is
                        offsets.done(tp, r.offset());
                        c.seek(tp, r.offset());
                        c.pause(c.assignment());
                        break;
                    }
                }
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                offsets.committable().forEach((tp, o) -> {
                    if (c.assignment().contains(tp)) {
                        commit.put(tp, new OffsetAndMetadata(o));
                    }
                });
                if (!commit.isEmpty()) {
                    c.commitSync(commit);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "upload events stopped");
        }
    }

    /** @return false when the pipeline had no room (nothing was done with the record) */
    private boolean handle(ConsumerRecord<String, byte[]> r, TopicPartition tp) throws InterruptedException {
        PendingOffsets.Position done = new PendingOffsets.Position(tp, r.offset());
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        VideoUpload upload;
        try {
            upload = WireSerdes.uploads().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            meters.counter("vqa.ingest.records.skipped", "topic", r.topic()).increment();
            VideoUpload raw = VideoUpload.newBuilder().setVideoId(r.key() == null ? "" : r.key()).build();
            pipeline.fail(TopicCatalog.UPLOADS.name(), raw, positionId(r), "event", "undecodable upload event at "
                    + where + ": " + e.getMessage());
            finished.add(done);
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
            LOG.infof("upload %s (%s) at %s already finished: dropped as a duplicate", uploadId, upload.getVideoId(), where);
            VideoUpload u = upload;
            spooled.ifPresent(f -> pipeline.releaseFinished(u, uploadId, f, status.get(uploadId).orElseThrow()));
            finished.add(done);
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
            pipeline.fail(TopicCatalog.UPLOADS.name(), upload, uploadId, "fetch", e.getMessage());
            finished.add(done);
            return true;
        }
        Optional<CompletableFuture<IngestPipeline.Outcome>> job = pipeline.submit(
                new IngestPipeline.Job(TopicCatalog.UPLOADS.name(), upload, uploadId, local.file(), local.owned()));
        job.ifPresent(f -> f.thenRun(() -> finished.add(done))); // not when stopped first: read again after restart
        return job.isPresent();
    }

    private static String positionId(ConsumerRecord<String, byte[]> r) {
        return "event-" + r.partition() + "-" + r.offset() + "-" + r.timestamp();
    }
}
