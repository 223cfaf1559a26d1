package dev.vqamini.kafka.serde;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import dev.vqamini.wire.proto.VideoUpload;
import dev.vqamini.wire.proto.UploadStatus;

/** The value serde of each topic in {@link TopicCatalog}. Serdes are stateless and thread-safe. */
public final class WireSerdes {

    private WireSerdes() {
    }

    /** Values of {@link TopicCatalog#UPLOADS}. */
    public static ProtobufSerde<VideoUpload> uploads() {
        return ProtobufSerde.of(VideoUpload.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#UPLOAD_STATUS}. */
    public static ProtobufSerde<UploadStatus> uploadStatus() {
        return ProtobufSerde.of(UploadStatus.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#FRAGMENTS}. */
    public static ProtobufSerde<FragmentClip> fragments() {
        return ProtobufSerde.of(FragmentClip.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#CLIP_SCORES}. */
    public static ProtobufSerde<ClipScore> clipScores() {
        return ProtobufSerde.of(ClipScore.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#VIDEO_SCORES}. */
    public static ProtobufSerde<VideoScoreRecord> videoScores() {
        return ProtobufSerde.of(VideoScoreRecord.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#LABELS}. */
    public static ProtobufSerde<VideoLabel> labels() {
        return ProtobufSerde.of(VideoLabel.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#MODELS}. */
    public static ProtobufSerde<ModelChunk> models() {
        return ProtobufSerde.of(ModelChunk.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#ROLLOUTS}. */
    public static ProtobufSerde<Rollout> rollouts() {
        return ProtobufSerde.of(Rollout.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#ROLLOUT_DECISIONS}. */
    public static ProtobufSerde<RolloutDecision> rolloutDecisions() {
        return ProtobufSerde.of(RolloutDecision.getDefaultInstance());
    }

    /** Values of {@link TopicCatalog#DLQ}. */
    public static ProtobufSerde<DeadLetter> deadLetters() {
        return ProtobufSerde.of(DeadLetter.getDefaultInstance());
    }
}
