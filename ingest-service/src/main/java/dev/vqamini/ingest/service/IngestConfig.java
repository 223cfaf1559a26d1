package dev.vqamini.ingest.service;

import dev.vqamini.ingest.IngestSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code vqa.ingest.*}: {@link IngestSettings} read from configuration, with the defaults ingest-service runs on. */
@ConfigMapping(prefix = "vqa.ingest")
public interface IngestConfig extends IngestSettings {

    @WithDefault("0")
    @Override
    int workers();

    @WithDefault("4")
    @Override
    int queue();

    @WithDefault("random")
    @Override
    String offsets();

    @WithDefault("0")
    @Override
    long seed();

    @WithDefault("536870912")
    @Override
    long maxUploadBytes();

    @WithDefault("1200")
    @Override
    double maxDurationSeconds();

    @WithDefault("8192")
    @Override
    int maxSide();

    @WithDefault("72000")
    @Override
    int maxFrames();

    @Override
    Optional<List<Path>> allowedRoots();

    @Override
    Optional<List<String>> allowedHosts();

    @Override
    Optional<Path> workDir();

    @Override
    Optional<Path> spoolDir();

    @WithDefault("8589934592")
    @Override
    long spoolMaxBytes();

    @WithDefault("15s")
    @Override
    Duration acceptTimeout();

    @Override
    Optional<Path> watchDir();

    @WithDefault("2s")
    @Override
    Duration watchInterval();

    @WithDefault("vqa-ingest")
    @Override
    String groupId();
}
