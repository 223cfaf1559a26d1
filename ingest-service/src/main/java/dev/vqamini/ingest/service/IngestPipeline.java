package dev.vqamini.ingest.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.vqamini.ingest.VideoIngest;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.video.VideoInputException;
import dev.vqamini.video.VideoLimits;
import dev.vqamini.views.OffsetMode;
import dev.vqamini.views.ViewSettings;
import dev.vqamini.kafka.LargeRecordSettings;
import dev.vqamini.kafka.Acks;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoUpload;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The one path every upload takes, whichever way it came in: a bounded pool decodes and cuts it
 * ({@link VideoIngest}), its records go to vqa.fragments (and its MOS to vqa.labels), and any failure becomes one
 * vqa.dlq record naming the stage and the reason, with nothing on vqa.fragments. When the pool and its queue are full,
 * {@link #submit} refuses, so memory stays bounded whatever the upload rate.
 */
@ApplicationScoped
public class IngestPipeline {

    private static final Logger LOG = Logger.getLogger(IngestPipeline.class);
    private static final int STATUS_KEPT = 10_000;

    /** What happened to an upload. */
    public record Outcome(String uploadId, String videoId, String state, String reason, int records) {
    }

    /** One upload to process; {@code owned} files are deleted afterwards. */
    public record Job(String source, VideoUpload upload, String uploadId, Path file, boolean owned) {
    }

    private final VideoIngest ingest;
    private final ThreadPoolExecutor pool;
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry meters;
    private final IngestSettings settings;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, Outcome> status = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > STATUS_KEPT;
        }
    });

    IngestPipeline(IngestSettings settings, KafkaClientSettings kafka, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        VideoLimits limits = VideoLimits.defaults().withMaxDurationSeconds(settings.maxDurationSeconds())
                .withMaxSide(settings.maxSide()).withMaxFrames(settings.maxFrames());
        this.ingest = new VideoIngest(ViewSettings.defaults().withLimits(limits)
                .withOffsetMode(OffsetMode.parse(settings.offsets())), settings.seed());
        int workers = settings.workers() > 0 ? settings.workers() : Runtime.getRuntime().availableProcessors();
        this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queue()),
                r -> {
                    Thread t = new Thread(r, "ingest-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.producer = new KafkaProducer<>(kafka.largeRecordProducer("fragments"), new StringSerializer(),
                new ByteArraySerializer());
        meters.gauge("vqa.ingest.queue.depth", waiting, AtomicInteger::get);
    }

    public IngestSettings settings() {
        return settings;
    }

    /** Whether a new upload would be taken now. */
    public boolean hasRoom() {
        return pool.getQueue().remainingCapacity() > 0 || pool.getActiveCount() < pool.getMaximumPoolSize();
    }

    /** Queues a job; empty when the pool is full (the caller answers 503 or pauses). */
    public Optional<CompletableFuture<Outcome>> submit(Job job) {
        meters.counter("vqa.ingest.videos.received", "source", job.source()).increment();
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        try {
            waiting.incrementAndGet();
            status.put(job.uploadId(), new Outcome(job.uploadId(), job.upload().getVideoId(), "queued", null, 0));
            pool.execute(() -> {
                waiting.decrementAndGet();
                done.complete(run(job));
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            status.remove(job.uploadId());
            meters.counter("vqa.ingest.videos.refused", "reason", "busy").increment();
            return Optional.empty();
        }
        return Optional.of(done);
    }

    /** A failure before the job could run (a refused URI, a bad event): dead-lettered the same way. */
    public Outcome fail(String source, VideoUpload upload, String uploadId, String stage, String reason) {
        return failed(new Job(source, upload, uploadId, null, false), stage, "refused", reason);
    }

    public Optional<Outcome> status(String uploadId) {
        return Optional.ofNullable(status.get(uploadId));
    }

    private Outcome run(Job job) {
        VideoUpload u = job.upload();
        long t0 = System.nanoTime();
        try {
            if (Files.size(job.file()) > settings.maxUploadBytes()) {
                return failed(job, "limits", "too_large", job.file().getFileName() + ": " + Files.size(job.file())
                        + " bytes, over the limit of " + settings.maxUploadBytes() + " (vqa.ingest.max-upload-bytes)");
            }
            VideoIngest.Cut cut = ingest.cut(new VideoIngest.Upload(u.getVideoId(), job.uploadId(), job.file(),
                    u.hasMos() ? java.util.OptionalDouble.of(u.getMos()) : java.util.OptionalDouble.empty(), u.getDataset()));
            Timer.builder("vqa.ingest.decode").description("decoding and view sampling of one video")
                    .publishPercentileHistogram().register(meters).record(Duration.ofNanos(System.nanoTime() - t0));
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            long bytes = 0;
            for (FragmentClip c : cut.clips()) {
                bytes += c.getSerializedSize();
                acks.add(send(TopicCatalog.FRAGMENTS.name(), u.getVideoId(), c));
            }
            if (u.hasMos()) {
                acks.add(send(TopicCatalog.LABELS.name(), u.getVideoId(), VideoLabel.newBuilder().setVideoId(u.getVideoId())
                        .setMos(u.getMos()).setDataset(u.getDataset()).build()));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            meters.counter("vqa.ingest.videos.published", "source", job.source()).increment();
            meters.counter("vqa.ingest.bytes.published").increment(bytes);
            Outcome o = new Outcome(job.uploadId(), u.getVideoId(), "published", null, cut.clips().size());
            status.put(job.uploadId(), o);
            LOG.infof("%s %s (%s): %d records, %.2f s", job.source(), u.getVideoId(), job.uploadId(), cut.clips().size(),
                    cut.seconds());
            return o;
        } catch (VideoInputException e) {
            return failed(job, "decode", e.kind().tag(), e.getMessage());
        } catch (Exception e) {
            return failed(job, "publish", "error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (job.owned() && job.file() != null) {
                try {
                    Files.deleteIfExists(job.file());
                } catch (java.io.IOException e) {
                    LOG.debugf("cannot delete %s: %s", job.file(), e.getMessage());
                }
            }
        }
    }

    private Outcome failed(Job job, String stage, String kind, String reason) {
        VideoUpload u = job.upload();
        LOG.warnf("%s %s failed at %s: %s", job.source(), u.getVideoId(), stage, reason);
        meters.counter("vqa.ingest.videos.failed", "reason", kind).increment();
        DeadLetter dl = DeadLetter.newBuilder().setStage("ingest-" + stage).setReason(reason).setOriginalTopic(job.source())
                .setOriginalKey(ByteString.copyFromUtf8(u.getVideoId())).setOriginalValue(u.toByteString())
                .setErrorType(kind).setFailedAtMs(System.currentTimeMillis()).build();
        try {
            send(TopicCatalog.DLQ.name(), u.getVideoId(), dl).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.errorf("dead letter for %s not written: %s", u.getVideoId(), e.getMessage());
        }
        Outcome o = new Outcome(job.uploadId(), u.getVideoId(), "failed", reason, 0);
        status.put(job.uploadId(), o);
        return o;
    }

    private CompletableFuture<Void> send(String topic, String key, MessageLite value) {
        return Acks.send(producer, topic, key, value);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
