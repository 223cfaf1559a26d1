package dev.vqamini.scorer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code vqa.scorer.*}: how scorer-service consumes, batches and runs models. */
@ConfigMapping(prefix = "vqa.scorer")
public interface ScorerSettings {

    /** Consumer group over vqa.fragments shared by every scorer instance. */
    @WithDefault("vqa-scorer")
    String groupId();

    /** Where models run. */
    enum Provider {
        /** CUDA when usable (the gpu build), else CPU. */
        AUTO,
        /** CUDA only: a version that comes up on CPU is refused. */
        CUDA,
        CPU
    }

    @WithDefault("auto")
    Provider provider();

    /** ONNX Runtime intra-op threads per session. */
    @WithDefault("2")
    int threads();

    /**
     * Whether ONNX Runtime's intra-op threads spin between ops. Off by default: a scorer usually shares its cores
     * with ingest-service or the broker, and spinning threads take CPU from them (docs/benchmarks.md, pipeline runs).
     */
    @WithDefault("false")
    boolean spinning();

    /** Most clips per inference run (per version and view). On CPU 1 is fine; on CUDA batches matter. */
    @WithDefault("1")
    int maxBatch();

    /** Longest a clip waits for others to fill its batch (Triton's max_queue_delay). */
    @WithDefault("5ms")
    Duration maxQueueDelay();

    /** Inference runs at once over all versions and views (CPU: 1, the intra-op threads use the cores). */
    @WithDefault("1")
    int concurrentRuns();

    /** Clips queued or running beyond which the partitions are paused (bounded memory). */
    @WithDefault("16")
    int maxQueuedClips();

    /**
     * A video whose clips stop arriving is dead-lettered once its partition holds records written this long after its
     * last clip (log time, so an outage or a restart does not count).
     */
    @WithDefault("60s")
    Duration videoTimeout();

    @WithDefault("1s")
    Duration commitInterval();

    /** The clip shape the service accepts (DOVER: 32 x 224 x 224). */
    Clip clip();

    /** Kafka client limits; every one must hold a whole fragment record, or the service refuses to start. */
    Limits limits();

    /** Instance name written into clip scores (default: the host name). */
    Optional<String> instanceId();

    /** The latency table this scorer measures on request ({@code POST /latency-table}). */
    LatencyTable latencyTable();

    interface LatencyTable {
        /** Passes over all segments (each segment's runs are spread over them). */
        @WithDefault("3")
        int passes();

        /** Timed runs per segment per pass. */
        @WithDefault("3")
        int repeats();

        /** Grid steps per width axis. */
        @WithDefault("4")
        int gridPoints();
    }

    interface Clip {
        @WithDefault("32")
        int frames();

        @WithDefault("224")
        int height();

        @WithDefault("224")
        int width();
    }

    interface Limits {
        /** consumer max.partition.fetch.bytes */
        @WithDefault("16777216")
        int maxPartitionFetchBytes();

        /** consumer fetch.max.bytes */
        @WithDefault("67108864")
        int fetchMaxBytes();

        /** producer max.request.size (a dead letter carries the whole fragment) */
        @WithDefault("16777216")
        int maxRequestSize();
    }
}
