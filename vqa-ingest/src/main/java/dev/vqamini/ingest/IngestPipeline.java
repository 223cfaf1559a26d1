package dev.vqamini.ingest;

import dev.vqamini.wire.DeadLetters;
import com.google.protobuf.MessageLite;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.video.VideoInputException;
import dev.vqamini.video.VideoLimits;
import dev.vqamini.views.OffsetMode;
import dev.vqamini.views.ViewSettings;
import dev.vqamini.kafka.Acks;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoUpload;
import dev.vqamini.wire.proto.UploadState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one path every upload record takes: a bounded pool decodes and cuts it ({@link VideoIngest}), its records go to
 * vqa.fragments (and its MOS to vqa.labels), and any failure of the input becomes one vqa.dlq record naming the stage
 * and the reason, with nothing on vqa.fragments. Its status is written, and only then is the spooled file released.
 * Kafka being away is not the input's fault: the outputs are retried until acknowledged, and a job stopped before
 * that ends exceptionally, so its record is read again after a restart. When the pool and its queue are full,
 * {@link #submit} refuses, so memory stays bounded whatever the upload rate.
 */
public class IngestPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    /** What happened to an upload. */
    public record Outcome(String uploadId, String videoId, String state, String reason, int records) {
    }

    /** One upload to process; {@code owned} files (spooled or downloaded) are released once it is done. */
    public record Job(String source, VideoUpload upload, String uploadId, Path file, boolean owned) {
    }

    private final VideoIngest ingest;
    private final ThreadPoolExecutor pool;
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry meters;
    private final IngestSettings settings;
    private final UploadStatusTable status;
    private final UploadSpool spool;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean stopping;

    public IngestPipeline(IngestSettings settings, KafkaClientSettings kafka, MeterRegistry meters, UploadStatusTable status,
                   UploadIntake intake) {
        this.settings = settings;
        this.meters = meters;
        this.status = status;
        this.spool = intake.spool();
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
            pool.execute(() -> {
                waiting.decrementAndGet();
                try {
                    done.complete(run(job));
                } catch (Exception e) { // stopped before its outputs were acknowledged: left for the next run
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            meters.counter("vqa.ingest.videos.refused", "reason", "busy").increment();
            return Optional.empty();
        }
        return Optional.of(done);
    }

    /** A failure before the job could run (a refused URI, a bad event): dead-lettered the same way. */
    public Outcome fail(String source, VideoUpload upload, String uploadId, DeadLetters.Stage stage, String reason)
            throws InterruptedException {
        return failed(new Job(source, upload, uploadId, null, false), stage, DeadLetters.Kind.REFUSED, reason);
    }

    /** Cuts, publishes and then releases; ends exceptionally (nothing released) when stopped before the acks. */
    private Outcome run(Job job) throws InterruptedException {
        Outcome outcome = cutAndPublish(job);
        release(job, outcome);
        return outcome;
    }

    private Outcome cutAndPublish(Job job) throws InterruptedException {
        VideoUpload u = job.upload();
        long t0 = System.nanoTime();
        try {
            if (Files.size(job.file()) > settings.maxUploadBytes()) {
                return failed(job, DeadLetters.Stage.INGEST_LIMITS, DeadLetters.Kind.TOO_LARGE, job.file().getFileName() + ": " + Files.size(job.file())
                        + " bytes, over the limit of " + settings.maxUploadBytes() + " (vqa.ingest.max-upload-bytes)");
            }
            VideoIngest.Cut cut = ingest.cut(new VideoIngest.Upload(u.getVideoId(), job.uploadId(), job.file(),
                    u.hasMos() ? OptionalDouble.of(u.getMos()) : OptionalDouble.empty(), u.getDataset()));
            Timer.builder("vqa.ingest.decode").description("decoding and view sampling of one video")
                    .publishPercentileHistogram().register(meters).record(Duration.ofNanos(System.nanoTime() - t0));
            long bytes = cut.clips().stream().mapToLong(FragmentClip::getSerializedSize).sum();
            untilAcked(u.getVideoId() + "'s fragments", () -> {
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (FragmentClip c : cut.clips()) {
                    acks.add(send(TopicCatalog.FRAGMENTS.name(), u.getVideoId(), c));
                }
                if (u.hasMos()) {
                    acks.add(send(TopicCatalog.LABELS.name(), u.getVideoId(), VideoLabel.newBuilder()
                            .setVideoId(u.getVideoId()).setMos(u.getMos()).setDataset(u.getDataset()).build()));
                }
                return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
            });
            untilAcked(job.uploadId() + "'s status", () -> status.put(job.uploadId(), u.getVideoId(),
                    UploadState.UPLOAD_STATE_PUBLISHED, null, cut.clips().size()));
            meters.counter("vqa.ingest.videos.published", "source", job.source()).increment();
            meters.counter("vqa.ingest.bytes.published").increment(bytes);
            LOG.info(String.format("%s %s (%s): %d records, %.2f s", job.source(), u.getVideoId(), job.uploadId(), cut.clips().size(),
                    cut.seconds()));
            return new Outcome(job.uploadId(), u.getVideoId(), "published", null, cut.clips().size());
        } catch (VideoInputException e) {
            return failed(job, DeadLetters.Stage.INGEST_DECODE, e.kind(), e.getMessage());
        } catch (IOException e) {
            return failed(job, DeadLetters.Stage.INGEST_READ, DeadLetters.Kind.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Sends until Kafka acknowledges: an outage delays the upload, it never fails it.
     *
     * @throws InterruptedException when the service stops first (the record is read again after the restart)
     */
    private void untilAcked(String what, Supplier<CompletableFuture<Void>> send)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (stopping) {
                throw new InterruptedException("stopping before " + what + " were acknowledged");
            }
            try {
                send.get().get(2, TimeUnit.MINUTES);
                return;
            } catch (ExecutionException | TimeoutException e) {
                meters.counter("vqa.ingest.publish.retries").increment();
                LOG.warn(String.format("%s not acknowledged (attempt %d), retrying in %d s: %s", what, attempt,
                        RETRY_EVERY.toSeconds(), e.getCause() == null ? e : e.getCause()));
                Thread.sleep(RETRY_EVERY.toMillis());
            }
        }
    }

    /** A re-delivered upload that had finished before its file was released (a crash in between): released now. */
    void releaseFinished(VideoUpload upload, String uploadId, Path file, UploadStatusTable.View view) {
        release(new Job(TopicCatalog.UPLOADS.name(), upload, uploadId, file, true),
                new Outcome(uploadId, upload.getVideoId(), view.state(), view.reason(), view.records()));
    }

    /** Once its outputs are acknowledged: a spooled file is deleted, or moved to done/ or failed/ when watched. */
    private void release(Job job, Outcome outcome) {
        if (!job.owned() || job.file() == null) {
            return;
        }
        try {
            if (job.upload().getSource().equals(WatchedFolder.SOURCE) && settings.watchDir().isPresent()) {
                WatchedFolder.finish(settings.watchDir().get(), job.file(), outcome);
                spool.release(job.file()); // the folder, and the accounting; the file has moved on
            } else if (job.file().startsWith(spool.root())) {
                spool.release(job.file());
            } else {
                Files.deleteIfExists(job.file());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(String.format("cannot release %s: %s", job.file(), e.getMessage()));
        }
    }

    private Outcome failed(Job job, DeadLetters.Stage stage, DeadLetters.ErrorKind kind, String reason)
            throws InterruptedException {
        VideoUpload u = job.upload();
        LOG.warn(String.format("%s %s failed at %s: %s", job.source(), u.getVideoId(), stage.tag(), reason));
        meters.counter("vqa.ingest.videos.failed", "reason", kind.tag()).increment();
        DeadLetter dl = DeadLetters.of(stage, kind, u.getVideoId(), reason).setOriginalTopic(job.source())
                .setOriginalValue(u.toByteString()).build();
        untilAcked("the dead letter of " + u.getVideoId(), () -> send(TopicCatalog.DLQ.name(), u.getVideoId(), dl));
        untilAcked(job.uploadId() + "'s status", () -> status.put(job.uploadId(), u.getVideoId(),
                UploadState.UPLOAD_STATE_FAILED, reason, 0));
        return new Outcome(job.uploadId(), u.getVideoId(), "failed", reason, 0);
    }

    private CompletableFuture<Void> send(String topic, String key, MessageLite value) {
        return Acks.send(producer, topic, key, value);
    }

    /** Stops taking jobs, waits up to 30 s for those running, then closes the producer. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
