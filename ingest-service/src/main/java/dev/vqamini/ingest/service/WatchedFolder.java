package dev.vqamini.ingest.service;

import dev.vqamini.wire.proto.VideoUpload;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The optional watched folder ({@code vqa.ingest.watch-dir}): a file whose size stayed the same over two scans is
 * ingested, then moved to {@code done/}, or to {@code failed/} beside a {@code .reason.txt} saying why.
 */
@ApplicationScoped
public class WatchedFolder {

    private static final Logger LOG = Logger.getLogger(WatchedFolder.class);

    private final IngestPipeline pipeline;
    private final Map<Path, Long> lastSize = new HashMap<>();
    private final Set<Path> inWork = new HashSet<>();
    private ScheduledExecutorService scanner;

    WatchedFolder(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (pipeline.settings().watchDir().isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(pipeline.settings().watchDir().get());
        Files.createDirectories(dir.resolve("done"));
        Files.createDirectories(dir.resolve("failed"));
        scanner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watch-dir"));
        long every = pipeline.settings().watchInterval().toMillis();
        scanner.scheduleWithFixedDelay(() -> scan(dir), every, every, TimeUnit.MILLISECONDS);
        LOG.infof("watching %s for videos every %d ms", dir, every);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    private synchronized void scan(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", dir, e.getMessage());
            return;
        }
        for (Path f : files) {
            if (inWork.contains(f)) {
                continue;
            }
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                continue;
            }
            Long before = lastSize.put(f, size);
            if (before == null || before != size || !pipeline.hasRoom()) {
                continue; // still being written, or no room yet: next scan
            }
            String name = f.getFileName().toString();
            VideoUpload upload = VideoUpload.newBuilder().setVideoId(name).setUri(f.toUri().toString())
                    .setSubmittedAtMs(System.currentTimeMillis()).build();
            var job = pipeline.submit(new IngestPipeline.Job("watch-dir", upload, UUID.randomUUID().toString(), f, false));
            if (job.isEmpty()) {
                continue;
            }
            inWork.add(f);
            job.get().whenComplete((o, e) -> finish(dir, f, o == null ? "failed" : o.state(), o == null ? String.valueOf(e) : o.reason()));
        }
    }

    private synchronized void finish(Path dir, Path file, String state, String reason) {
        try {
            boolean ok = state.equals("published");
            Path target = dir.resolve(ok ? "done" : "failed").resolve(file.getFileName());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            if (!ok) {
                Files.writeString(target.resolveSibling(file.getFileName() + ".reason.txt"), reason + "\n");
            }
        } catch (IOException e) {
            LOG.warnf("cannot move %s: %s", file, e.getMessage());
        } finally {
            inWork.remove(file);
            lastSize.remove(file);
        }
    }
}
