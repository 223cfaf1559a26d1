package dev.vqamini.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What ingest accepts and how hard it works ({@code vqa.ingest.*} in ingest-service, whose defaults it states). */
public interface IngestSettings {

    /** Videos decoded at once (0: one per core). */
    int workers();

    /** Videos waiting beyond the ones decoding; beyond that REST answers 503 and the Kafka consumer pauses. */
    int queue();

    /** random (upstream, seeded by the video id) or centre. */
    String offsets();

    /** Base seed of the random offsets (mixed with the video id). */
    long seed();

    /** Largest upload or download, bytes (REST bodies are limited by quarkus.http.limits.max-body-size too). */
    long maxUploadBytes();
    double maxDurationSeconds();
    int maxSide();
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
    long spoolMaxBytes();

    /** How long an upload may wait for Kafka's acknowledgement of its record before the request gets 503. */
    Duration acceptTimeout();

    /** A folder watched for new video files; they move to done/ or failed/ afterwards. */
    Optional<Path> watchDir();
    Duration watchInterval();

    /** Consumer group over vqa.uploads. */
    String groupId();
}
