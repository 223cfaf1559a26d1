package dev.vqamini.serving;

import dev.vqamini.release.RolloutPolicy;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.vqamini.wire.ClipAssembler;
import dev.vqamini.kafka.AtLeastOnceConsumer;
import dev.vqamini.kafka.PendingOffsets;
import dev.vqamini.wire.DeadLetters;
import dev.vqamini.kafka.Acks;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * The scorer's consumer thread over vqa.fragments (one consumer group): gathers each video's clips
 * ({@link ClipAssembler}), picks one version for the whole video ({@link RolloutPolicy}, falling back to the stable
 * version while a candidate is not in service), scores it through the {@link DynamicBatcher} on a {@link ModelRegistry}
 * lease, and writes its clip scores and video score. Records are finished only once the outputs were acknowledged, and
 * {@link AtLeastOnceConsumer} commits below the lowest record still in work; a bad record or a video whose clips stop
 * coming goes to vqa.dlq first. When the batcher holds {@code maxQueuedClips}, the partitions are paused.
 */
public final class ScoringLoop implements Runnable, AtLeastOnceConsumer.Handler {

    private static final Duration RESEND_AFTER = Duration.ofSeconds(2);

    /** How the loop behaves. */
    public record Settings(String scorerId, Duration videoTimeout, int maxQueuedClips, Duration commitInterval,
                           Duration pollTimeout) {
    }

    /** What the loop reports besides its records (metrics). */
    public interface Events {
        void videoScored(String version, double endToEndSeconds);

        void deadLettered(DeadLetters.Kind kind, String reason);

        void fellBackToStable(String wanted, String stable);
    }

    private final AtLeastOnceConsumer loop;
    private final Producer<String, byte[]> producer;
    private final ModelRegistry registry;
    private final DynamicBatcher batcher;
    private final Settings settings;
    private final Events events;
    private final Consumer<String> log;
    private final ClipAssembler assembler = new ClipAssembler();
    private final Map<String, List<PendingOffsets.Position>> videoOffsets = new HashMap<>();
    /** Per partition, the newest log time (record timestamp) read: how far its producers have moved on. */
    private final Map<TopicPartition, Long> logTime = new HashMap<>();
    private final List<ClipAssembler.Video> waitingForModel = new ArrayList<>();
    private final AtomicLong videosScored = new AtomicLong();
    private volatile boolean stopping;

    public ScoringLoop(KafkaConsumer<String, byte[]> consumer, Producer<String, byte[]> producer, ModelRegistry registry,
                       DynamicBatcher batcher, Settings settings, Events events, Consumer<String> log) {
        this.loop = new AtLeastOnceConsumer(consumer, TopicCatalog.FRAGMENTS.name(), settings.pollTimeout(),
                settings.commitInterval()).handler(this);
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
        stopping = true;
        loop.stop();
    }

    /** Stops without committing anything more, as a killed process would (tests of re-delivery). */
    public void crash() {
        stopping = true;
        loop.crash();
    }

    @Override
    public void run() {
        loop.run();
    }

    @Override
    public boolean hasRoom() {
        return batcher.queued() < settings.maxQueuedClips();
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        logTime.keySet().removeAll(partitions);
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
    public void afterPoll() {
        dispatchWaiting();
        expire();
    }

    @Override
    public boolean accept(ConsumerRecord<String, byte[]> r, PendingOffsets.Position done) {
        FragmentClip clip;
        try {
            clip = WireSerdes.fragments().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            deadLetter(r, DeadLetters.Kind.UNDECODABLE, "undecodable fragment record: " + e.getMessage(), done);
            return true;
        }
        Optional<ClipAssembler.Video> complete;
        try {
            videoOffsets.computeIfAbsent(clip.getVideoId(), id -> new ArrayList<>()).add(done);
            logTime.merge(done.tp(), r.timestamp(), Math::max);
            complete = assembler.add(clip, r.timestamp());
        } catch (IllegalArgumentException e) {
            videoOffsets.get(clip.getVideoId()).remove(done);
            deadLetter(r, DeadLetters.Kind.MALFORMED_VIDEO, e.getMessage(), done);
            return true;
        }
        complete.ifPresent(this::dispatch);
        return true;
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
                DeadLetter dl = DeadLetters.of(DeadLetters.Stage.SCORER, DeadLetters.Kind.INFERENCE, video.videoId(), reason)
                        .setOriginalTopic(TopicCatalog.FRAGMENTS.name()).build();
                events.deadLettered(DeadLetters.Kind.INFERENCE, reason);
                deliver(() -> List.of(send(TopicCatalog.DLQ.name(), video.videoId(), dl)), records, () -> { });
                return;
            }
            deliver(() -> {
                List<CompletableFuture<?>> acks = new ArrayList<>();
                result.clips().forEach(c -> acks.add(send(TopicCatalog.CLIP_SCORES.name(), video.videoId(), c)));
                acks.add(send(TopicCatalog.VIDEO_SCORES.name(), video.videoId(), result.video()));
                return acks;
            }, records, () -> {
                videosScored.incrementAndGet();
                events.videoScored(result.video().getModelVersion(), result.video().getEndToEndMs() / 1000);
            });
        });
    }

    private void dispatchWaiting() {
        if (!waitingForModel.isEmpty() && registry.stableServing()) {
            List<ClipAssembler.Video> again = new ArrayList<>(waitingForModel);
            waitingForModel.clear();
            again.forEach(this::dispatch);
        }
    }

    /**
     * Videos whose clips stopped coming: dead-lettered with what they had, so they never block commits. The clock is
     * the log's, not this process's: a video is given up only once its partition holds records written more than
     * the timeout after its newest clip. A broker outage, a restart or a paused partition delays the rest of a
     * video's clips and every later record alike, so it never turns a good video into a dead letter.
     */
    private void expire() {
        for (ClipAssembler.Pending p : assembler.pending()) {
            List<PendingOffsets.Position> held = videoOffsets.get(p.videoId());
            Long newest = held == null || held.isEmpty() ? null : logTime.get(held.get(0).tp());
            if (newest != null && newest - p.lastClipMs() > settings.videoTimeout().toMillis()) {
                assembler.drop(p.videoId());
                List<PendingOffsets.Position> records = videoOffsets.remove(p.videoId());
                String reason = "video " + p.videoId() + ": " + p.describe() + ", and its partition has records written "
                        + settings.videoTimeout().toSeconds() + " s after its last clip (clips stopped arriving)";
                log.accept(reason);
                DeadLetter dl = DeadLetters.of(DeadLetters.Stage.SCORER, DeadLetters.Kind.INCOMPLETE, p.videoId(), reason)
                        .setOriginalTopic(TopicCatalog.FRAGMENTS.name()).build();
                events.deadLettered(DeadLetters.Kind.INCOMPLETE, reason);
                deliver(() -> List.of(send(TopicCatalog.DLQ.name(), p.videoId(), dl)), records == null ? List.of() : records,
                        () -> { });
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, DeadLetters.Kind kind, String reason, PendingOffsets.Position done) {
        log.accept(TopicCatalog.FRAGMENTS.name() + "-" + r.partition() + "@" + r.offset() + ": " + reason);
        DeadLetter dl = DeadLetters.of(DeadLetters.Stage.SCORER, kind, r.key(), reason).setOriginalTopic(r.topic())
                .setOriginalPartition(r.partition()).setOriginalOffset(r.offset())
                .setOriginalValue(r.value() == null ? ByteString.EMPTY : ByteString.copyFrom(r.value())).build();
        events.deadLettered(kind, reason);
        deliver(() -> List.of(send(TopicCatalog.DLQ.name(), r.key(), dl)), List.of(done), () -> { });
    }

    private CompletableFuture<Void> send(String topic, String key, MessageLite value) {
        return Acks.send(producer, topic, key, value);
    }

    /**
     * Sends outputs until Kafka acknowledges all of them; only then are the input records finished (the consumer
     * thread applies it) and {@code delivered} run. A send that fails (a broker away past the delivery timeout) is
     * made again, so an outage delays a video and never strands it; a stop leaves the records uncommitted, for the
     * next owner.
     */
    private void deliver(Supplier<List<CompletableFuture<?>>> outputs, List<PendingOffsets.Position> records,
                         Runnable delivered) {
        CompletableFuture.allOf(outputs.get().toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
            if (e == null) {
                delivered.run();
                records.forEach(loop::finished);
            } else if (stopping) {
                log.accept("outputs not acknowledged before the stop, records stay uncommitted: " + e.getMessage());
            } else {
                log.accept("outputs not acknowledged, sent again in " + RESEND_AFTER.toSeconds() + " s: " + e.getMessage());
                CompletableFuture.delayedExecutor(RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> deliver(outputs, records, delivered));
            }
        });
    }
}
