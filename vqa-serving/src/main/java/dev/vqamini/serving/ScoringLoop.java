package dev.vqamini.serving;

import dev.vqamini.release.RolloutPolicy;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.vqamini.wire.ClipAssembler;
import dev.vqamini.kafka.PendingOffsets;
import dev.vqamini.kafka.Acks;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The scorer's consumer thread over vqa.fragments (one consumer group): gathers each video's clips
 * ({@link ClipAssembler}), picks one version for the whole video ({@link RolloutPolicy}, falling back to the stable
 * version while a candidate is not in service), scores it through the {@link DynamicBatcher} on a {@link ModelRegistry}
 * lease, and writes its clip scores and video score. Offsets are committed by hand, per partition only below the
 * lowest record still in work and only after the outputs were acknowledged; a bad record or a video whose clips stop
 * coming goes to vqa.dlq first. When the batcher holds {@code maxQueuedClips}, the partitions are paused.
 */
public final class ScoringLoop implements Runnable {

    /** How the loop behaves. */
    public record Settings(String scorerId, Duration videoTimeout, int maxQueuedClips, Duration commitInterval,
                           Duration pollTimeout) {
    }

    /** What the loop reports besides its records (metrics). */
    public interface Events {
        void videoScored(String version, double endToEndSeconds);

        void deadLettered(String stage, String reason);

        void fellBackToStable(String wanted, String stable);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final ModelRegistry registry;
    private final DynamicBatcher batcher;
    private final Settings settings;
    private final Events events;
    private final Consumer<String> log;
    private final ClipAssembler assembler = new ClipAssembler();
    private final PendingOffsets offsets = new PendingOffsets();
    private final Map<String, List<PendingOffsets.Position>> videoOffsets = new HashMap<>();
    private final List<ClipAssembler.Video> waitingForModel = new ArrayList<>();
    private final Queue<PendingOffsets.Position> finished = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final AtomicLong videosScored = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean crashed;

    public ScoringLoop(KafkaConsumer<String, byte[]> consumer, Producer<String, byte[]> producer, ModelRegistry registry,
                       DynamicBatcher batcher, Settings settings, Events events, Consumer<String> log) {
        this.consumer = consumer;
        this.producer = producer;
        this.registry = registry;
        this.batcher = batcher;
        this.settings = settings;
        this.events = events;
        this.log = log;
    }

    public long videosScored() {
        return videosScored.get();
    }

    /** Stops after the current poll, committing what is finished. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Stops without committing anything more, as a killed process would (tests of re-delivery). */
    public void crash() {
        crashed = true;
        stop();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(TopicCatalog.FRAGMENTS.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!crashed) {
                    commit();
                }
                offsets.forget(partitions);
                paused.removeAll(partitions);
                // half-gathered videos of those partitions are the new owner's now: forget them, do not dead-letter them
                videoOffsets.entrySet().removeIf(e -> {
                    boolean moved = e.getValue().stream().anyMatch(d -> partitions.contains(d.tp()));
                    if (moved) {
                        assembler.drop(e.getKey());
                        waitingForModel.removeIf(v -> v.videoId().equals(e.getKey()));
                    }
                    return moved;
                });
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        long lastCommit = System.nanoTime();
        try {
            while (running) {
                applyFinished();
                throttle();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(settings.pollTimeout())) {
                    accept(r);
                }
                dispatchWaiting();
                expire();
                if (System.nanoTime() - lastCommit > settings.commitInterval().toNanos()) {
                    applyFinished();
                    commit();
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // stop() or crash()
        } finally {
            if (!crashed) {
                applyFinished();
                commit();
            }
            consumer.close(Duration.ofSeconds(crashed ? 0 : 5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        offsets.received(tp, r.offset());
        PendingOffsets.Position done = new PendingOffsets.Position(tp, r.offset());
        FragmentClip clip;
        try {
            clip = WireSerdes.fragments().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            deadLetter(r, "record", "undecodable fragment record: " + e.getMessage(), e, List.of(done));
            return;
        }
        Optional<ClipAssembler.Video> complete;
        try {
            videoOffsets.computeIfAbsent(clip.getVideoId(), id -> new ArrayList<>()).add(done);
            complete = assembler.add(clip, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            videoOffsets.get(clip.getVideoId()).remove(done);
            deadLetter(r, "assemble", e.getMessage(), e, List.of(done));
            return;
        }
        complete.ifPresent(this::dispatch);
    }

    private void dispatch(ClipAssembler.Video video) {
        Optional<ModelRegistry.Lease> lease = Optional.empty();
        Optional<String> shadow = Optional.empty();
        var rollout = registry.rollout();
        if (rollout.isPresent()) {
            RolloutPolicy.Assignment a = RolloutPolicy.assign(video.videoId(), rollout.get());
            lease = registry.lease(a.version());
            if (lease.isEmpty()) {
                lease = registry.leaseStable(); // the stable version, or the one it replaces while it loads
                lease.ifPresent(l -> events.fellBackToStable(a.version(), l.model().version()));
            }
            shadow = a.shadow();
        }
        if (lease.isEmpty()) {
            waitingForModel.add(video); // no version in service yet: readiness is down, the video waits
            return;
        }
        List<PendingOffsets.Position> records = videoOffsets.remove(video.videoId());
        ModelRegistry.Lease held = lease.get();
        CompletableFuture<VideoScoring.Result> scored = VideoScoring.score(video, held.model(), batcher, settings.scorerId(), false);
        shadow.flatMap(registry::lease).ifPresent(s -> VideoScoring.score(video, s.model(), batcher, settings.scorerId(), true)
                .thenAccept(r -> {
                    r.clips().forEach(c -> send(TopicCatalog.CLIP_SCORES.name(), video.videoId(), c));
                    // marked shadow: metrics-service pairs it with the video's real score, nothing else counts it
                    send(TopicCatalog.VIDEO_SCORES.name(), video.videoId(), r.video());
                })
                .whenComplete((r, e) -> s.close()));
        scored.whenComplete((result, error) -> {
            held.close();
            if (error != null) {
                String reason = "video " + video.videoId() + " failed in model " + held.model().version() + ": " + error.getMessage();
                log.accept(reason);
                DeadLetter dl = DeadLetter.newBuilder().setStage("scorer").setReason(reason)
                        .setOriginalTopic(TopicCatalog.FRAGMENTS.name()).setErrorType(error.getClass().getName())
                        .setOriginalKey(ByteString.copyFromUtf8(video.videoId())).setFailedAtMs(System.currentTimeMillis()).build();
                events.deadLettered("scorer", "inference");
                acked(List.of(send(TopicCatalog.DLQ.name(), video.videoId(), dl)), records);
                return;
            }
            List<CompletableFuture<?>> acks = new ArrayList<>();
            result.clips().forEach(c -> acks.add(send(TopicCatalog.CLIP_SCORES.name(), video.videoId(), c)));
            acks.add(send(TopicCatalog.VIDEO_SCORES.name(), video.videoId(), result.video()));
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenRun(() -> {
                videosScored.incrementAndGet();
                events.videoScored(result.video().getModelVersion(), result.video().getEndToEndMs() / 1000);
            });
            acked(acks, records);
        });
    }

    private void dispatchWaiting() {
        if (!waitingForModel.isEmpty() && registry.stableServing()) {
            List<ClipAssembler.Video> again = new ArrayList<>(waitingForModel);
            waitingForModel.clear();
            again.forEach(this::dispatch);
        }
    }

    /** Videos whose clips stopped coming: dead-lettered with what they had, so they never block commits. */
    private void expire() {
        long cutoff = System.currentTimeMillis() - settings.videoTimeout().toMillis();
        for (ClipAssembler.Pending p : assembler.pending()) {
            if (p.firstSeenMs() < cutoff) {
                assembler.drop(p.videoId());
                List<PendingOffsets.Position> records = videoOffsets.remove(p.videoId());
                String reason = "video " + p.videoId() + ": " + p.describe() + " after " + settings.videoTimeout().toSeconds()
                        + " s (clips stopped arriving)";
                log.accept(reason);
                DeadLetter dl = DeadLetter.newBuilder().setStage("scorer").setReason(reason)
                        .setOriginalTopic(TopicCatalog.FRAGMENTS.name()).setErrorType("IncompleteVideo")
                        .setOriginalKey(ByteString.copyFromUtf8(p.videoId())).setFailedAtMs(System.currentTimeMillis()).build();
                events.deadLettered("scorer", "incomplete");
                acked(List.of(send(TopicCatalog.DLQ.name(), p.videoId(), dl)), records == null ? List.of() : records);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String kind, String reason, Exception e, List<PendingOffsets.Position> records) {
        log.accept(TopicCatalog.FRAGMENTS.name() + "-" + r.partition() + "@" + r.offset() + ": " + reason);
        DeadLetter dl = DeadLetter.newBuilder().setStage("scorer").setReason(reason).setOriginalTopic(r.topic())
                .setOriginalPartition(r.partition()).setOriginalOffset(r.offset())
                .setOriginalKey(r.key() == null ? ByteString.EMPTY : ByteString.copyFromUtf8(r.key()))
                .setOriginalValue(r.value() == null ? ByteString.EMPTY : ByteString.copyFrom(r.value()))
                .setFailedAtMs(System.currentTimeMillis()).setErrorType(e.getClass().getName()).build();
        events.deadLettered("scorer", kind);
        acked(List.of(send(TopicCatalog.DLQ.name(), r.key(), dl)), records);
    }

    private CompletableFuture<Void> send(String topic, String key, MessageLite value) {
        return Acks.send(producer, topic, key, value);
    }

    /** Once every output is acknowledged, the input records are finished (the consumer thread applies it). */
    private void acked(List<CompletableFuture<?>> acks, List<PendingOffsets.Position> records) {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
            if (e == null) {
                finished.addAll(records);
            } else {
                // not acknowledged: the records stay pending, so they are re-delivered after a restart
                log.accept("outputs not acknowledged, records stay uncommitted: " + e.getMessage());
            }
        });
    }

    private void applyFinished() {
        PendingOffsets.Position d;
        while ((d = finished.poll()) != null) {
            offsets.done(d.tp(), d.offset());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Set<TopicPartition> owned = consumer.assignment();
        offsets.committable().forEach((tp, o) -> {
            if (owned.contains(tp)) {
                commit.put(tp, new OffsetAndMetadata(o));
            }
        });
        if (!commit.isEmpty()) {
            consumer.commitSync(commit);
        }
    }

    private void throttle() {
        Set<TopicPartition> owned = consumer.assignment();
        if (batcher.queued() >= settings.maxQueuedClips()) {
            Set<TopicPartition> toPause = new HashSet<>(owned);
            toPause.removeAll(paused);
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
                paused.addAll(toPause);
            }
        } else if (!paused.isEmpty()) {
            paused.retainAll(owned);
            consumer.resume(paused);
            paused.clear();
        }
    }
}
