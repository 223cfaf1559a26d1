package dev.vqamini.ingest.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.service.TopicsAtStartup;
import dev.vqamini.kafka.PendingOffsets;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireSerdes;
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
import java.util.UUID;
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
 * Upload events on vqa.uploads (one consumer group), as other systems emit them. Each event goes down the same
 * pipeline as a REST upload; when the pipeline is full the partitions are paused; an offset is committed only once
 * its upload is published or dead-lettered.
 */
@ApplicationScoped
public class UploadEvents {

    private static final Logger LOG = Logger.getLogger(UploadEvents.class);

    private final IngestPipeline pipeline;
    private final UploadSource source;
    private final KafkaClientSettings kafka;
    private final TopicsAtStartup topics;
    private final Queue<PendingOffsets.Position> finished = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    UploadEvents(IngestPipeline pipeline, UploadSource source, KafkaClientSettings kafka, TopicsAtStartup topics) {
        this.pipeline = pipeline;
        this.source = source;
        this.kafka = kafka;
        this.topics = topics;
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
        if (!topics.awaitTopics()) {
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
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "upload events stopped");
        }
    }

    /** @return false when the pipeline had no room (nothing was done with the record) */
    private boolean handle(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
        PendingOffsets.Position done = new PendingOffsets.Position(tp, r.offset());
        String uploadId = UUID.randomUUID().toString();
        VideoUpload upload;
        try {
            upload = WireSerdes.uploads().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            VideoUpload raw = VideoUpload.newBuilder().setVideoId(r.key() == null ? "" : r.key()).build();
            pipeline.fail(TopicCatalog.UPLOADS.name(), raw, uploadId, "event", "undecodable upload event at "
                    + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
            finished.add(done);
            return true;
        }
        if (upload.getVideoId().isEmpty()) {
            upload = upload.toBuilder().setVideoId(r.key() != null ? r.key() : UploadSource.idOf(upload.getUri())).build();
        }
        UploadSource.Local local;
        try {
            local = source.fetch(upload.getUri());
        } catch (Exception e) {
            pipeline.fail(TopicCatalog.UPLOADS.name(), upload, uploadId, "fetch", e.getMessage());
            finished.add(done);
            return true;
        }
        Optional<CompletableFuture<IngestPipeline.Outcome>> job = pipeline.submit(
                new IngestPipeline.Job(TopicCatalog.UPLOADS.name(), upload, uploadId, local.file(), local.owned()));
        job.ifPresent(f -> f.whenComplete((o, e) -> finished.add(done)));
        return job.isPresent();
    }
}
