package dev.vqamini.wire;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every topic VQA-Mini uses, with the settings each must have. Services, the CLI and tests
 * take topic names from here instead of spelling them.
 */
public final class TopicCatalog {

    /** 16 MiB: a fragment clip (1x3x32x224x224 uint8 = 4.6 MiB) or a model chunk must fit with room to spare. */
    public static final int LARGE_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** 1 MiB, Kafka's usual default, for small event records. */
    public static final int SMALL_MESSAGE_BYTES = 1024 * 1024;

    private static final long KEEP_FOREVER = -1L;
    private static final long ONE_DAY = Duration.ofDays(1).toMillis();
    private static final long ONE_WEEK = Duration.ofDays(7).toMillis();
    private static final long FOUR_WEEKS = Duration.ofDays(28).toMillis();

    /** Upload events from other systems. */
    public static final TopicSpec UPLOADS = new TopicSpec("vqa.uploads", 3, TopicSpec.DELETE, ONE_WEEK,
            SMALL_MESSAGE_BYTES, "video id", "vqa.v1.VideoUpload");
    /** What became of each upload (accepted, published, failed); compacted, so status outlives any ingest instance. */
    public static final TopicSpec UPLOAD_STATUS = new TopicSpec("vqa.upload-status", 3, TopicSpec.COMPACT, KEEP_FOREVER,
            SMALL_MESSAGE_BYTES, "upload id", "vqa.v1.UploadStatus");
    /** uint8 view clips; a day of retention is enough to rescore and keeps disk bounded (clips are large). */
    public static final TopicSpec FRAGMENTS = new TopicSpec("vqa.fragments", 6, TopicSpec.DELETE, ONE_DAY,
            LARGE_MESSAGE_BYTES, "video id (all clips of a video meet the same scorer)", "vqa.v1.FragmentClip");
    /** Raw per-clip scores. */
    public static final TopicSpec CLIP_SCORES = new TopicSpec("vqa.clip-scores", 6, TopicSpec.DELETE, ONE_WEEK,
            SMALL_MESSAGE_BYTES, "video id", "vqa.v1.ClipScore");
    /** Per-video scores: the product's main output. */
    public static final TopicSpec VIDEO_SCORES = new TopicSpec("vqa.video-scores", 3, TopicSpec.DELETE, FOUR_WEEKS,
            SMALL_MESSAGE_BYTES, "video id", "vqa.v1.VideoScoreRecord");
    /** Human MOS labels; compacted so the newest label per video is kept forever. */
    public static final TopicSpec LABELS = new TopicSpec("vqa.labels", 3, TopicSpec.COMPACT, KEEP_FOREVER,
            SMALL_MESSAGE_BYTES, "video id", "vqa.v1.VideoLabel");
    /**
     * Model bundle chunks; compacted and single-partition so a new scorer bootstraps from it alone, in order.
     * The key is {@link #modelChunkKey(String, int)}, not the bare version, or compaction would keep one chunk.
     */
    public static final TopicSpec MODELS = new TopicSpec("vqa.models", 1, TopicSpec.COMPACT, KEEP_FOREVER,
            LARGE_MESSAGE_BYTES, "model version + '/' + chunk index", "vqa.v1.ModelChunk");
    /** Which versions serve traffic; compacted, newest record per model name wins. */
    public static final TopicSpec ROLLOUTS = new TopicSpec("vqa.rollouts", 1, TopicSpec.COMPACT, KEEP_FOREVER,
            SMALL_MESSAGE_BYTES, "model name", "vqa.v1.Rollout");
    /**
     * The rollout controller's decisions, the audit trail of automatic rollouts. One partition: the controller's
     * group membership on it elects the one acting controller (the member assigned partition 0).
     */
    public static final TopicSpec ROLLOUT_DECISIONS = new TopicSpec("vqa.rollout-decisions", 1, TopicSpec.DELETE,
            FOUR_WEEKS, SMALL_MESSAGE_BYTES, "model name", "vqa.v1.RolloutDecision");
    /** Records a stage could not process; large because it carries the original value (maybe a fragment). */
    public static final TopicSpec DLQ = new TopicSpec("vqa.dlq", 1, TopicSpec.DELETE, FOUR_WEEKS,
            LARGE_MESSAGE_BYTES, "video id when known, else the original key", "vqa.v1.DeadLetter");

    private static final List<TopicSpec> ALL = List.of(UPLOADS, UPLOAD_STATUS, FRAGMENTS, CLIP_SCORES, VIDEO_SCORES,
            LABELS, MODELS, ROLLOUTS, ROLLOUT_DECISIONS, DLQ);

    private TopicCatalog() {
    }

    /** All topics, in data-flow order. */
    public static List<TopicSpec> all() {
        return ALL;
    }

    /** The spec of a topic by name, if it is one of ours. */
    public static Optional<TopicSpec> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The record key of one chunk on {@link #MODELS}: {@code "<version>/<chunkIndex>"}. */
    public static String modelChunkKey(String modelVersion, int chunkIndex) {
        return modelVersion + "/" + chunkIndex;
    }
}
