package dev.vqamini.ingest.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code vqa.ingest.*}: what ingest-service accepts and how hard it works. */
@ConfigMapping(prefix = "vqa.ingest")
public interface IngestSettings {

    /** Videos decoded at once (0: one per core). */
    @WithDefault("0")
    int workers();

    /** Videos waiting beyond the ones decoding; beyond that REST answers 503 and the Kafka consumer pauses. */
    @WithDefault("4")
    int queue();

    /** random (upstream, seeded by the video id) or centre. */
    @WithDefault("random")
    String offsets();

    /** Base seed of the random offsets (mixed with the video id). */
    @WithDefault("0")
    long seed();

    /** Largest upload or download, bytes (REST bodies are limited by quarkus.http.limits.max-body-size too). */
    @WithDefault("536870912")
    long maxUploadBytes();

    @WithDefault("1200")
    double maxDurationSeconds();

    @WithDefault("8192")
    int maxSide();

    @WithDefault("72000")
    int maxFrames();

    /** Folders {@code file:} URIs may point into. */
    Optional<List<Path>> allowedRoots();

    /** Hosts {@code http(s):} URIs may come from. */
    Optional<List<String>> allowedHosts();

    /** Where downloads of http(s) uploads are kept while they are cut (default: java.io.tmpdir/vqa-ingest). */
    Optional<Path> workDir();

    /**
     * Where accepted uploads wait until their fragments are acknowledged (default: java.io.tmpdir/vqa-ingest-spool);
     * a volume in compose and Kubernetes, shared by the instances so that any one finishes what another accepted.
     */
    Optional<Path> spoolDir();

    /** The most bytes spooled at once; beyond it uploads get 503 with Retry-After until others are cut. */
    @WithDefault("8589934592")
    long spoolMaxBytes();

    /** How long an upload may wait for Kafka's acknowledgement of its record before the request gets 503. */
    @WithDefault("15s")
    Duration acceptTimeout();

    /** A folder watched for new video files; they move to done/ or failed/ afterwards. */
    Optional<Path> watchDir();

    @WithDefault("2s")
    Duration watchInterval();

    /** Consumer group over vqa.uploads. */
    @WithDefault("vqa-ingest")
    String groupId();
}
