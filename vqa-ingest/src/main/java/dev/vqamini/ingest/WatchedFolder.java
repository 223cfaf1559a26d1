package dev.vqamini.ingest;

import dev.vqamini.wire.proto.VideoUpload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional watched folder ({@code vqa.ingest.watch-dir}): a file whose size stayed the same over two scans is
 * accepted like a REST upload (moved into the spool, its record on vqa.uploads), and once cut it is moved to
 * {@code done/}, or to {@code failed/} beside a {@code .reason.txt} saying why.
 */
public class WatchedFolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFolder.class);

    /** {@code VideoUpload.source} of uploads from the watched folder. */
    public static final String SOURCE = "watch-dir";

    private final IngestSettings settings;
    private final UploadIntake intake;
    private final Map<Path, Long> lastSize = new HashMap<>();
    private ScheduledExecutorService scanner;

    public WatchedFolder(IngestSettings settings, UploadIntake intake) {
        this.settings = settings;
        this.intake = intake;
    }

    /** Starts scanning, when a folder is configured. */
    public void start() throws IOException {
        if (settings.watchDir().isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(settings.watchDir().get());
        Files.createDirectories(dir.resolve("done"));
        Files.createDirectories(dir.resolve("failed"));
        scanner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watch-dir"));
        long every = settings.watchInterval().toMillis();
        scanner.scheduleWithFixedDelay(() -> scan(dir), every, every, TimeUnit.MILLISECONDS);
        LOG.info(String.format("watching %s for videos every %d ms", dir, every));
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    private synchronized void scan(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            LOG.warn(String.format("cannot list %s: %s", dir, e.getMessage()));
            return;
        }
        lastSize.keySet().retainAll(files);
        for (Path f : files) {
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                continue;
            }
            Long before = lastSize.put(f, size);
            if (before == null || before != size) {
                continue; // still being written: next scan
            }
            String name = f.getFileName().toString();
            VideoUpload upload = VideoUpload.newBuilder().setVideoId(name).setSubmittedAtMs(System.currentTimeMillis()).build();
            try {
                intake.accept(upload, f, name, SOURCE);
                lastSize.remove(f);
            } catch (UploadIntake.NotAccepted | IOException e) {
                LOG.warn(String.format("%s stays in %s for now: %s", name, dir, e.getMessage())); // next scan
            }
        }
    }

    /** Moves a cut file to {@code done/}, or to {@code failed/} with its reason. */
    static void finish(Path dir, Path file, IngestPipeline.Outcome outcome) throws IOException {
        boolean ok = outcome.state().equals("published");
        Path target = dir.resolve(ok ? "done" : "failed").resolve(file.getFileName());
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        if (!ok) {
            Files.writeString(target.resolveSibling(file.getFileName() + ".reason.txt"), outcome.reason() + "\n");
        }
    }
}
