package dev.vqamini.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where accepted uploads wait, durably, until their fragments are acknowledged: one folder per upload id,
 * {@code <root>/<uploadId>/<file name>}, written with fsync so a crash right after the 202 loses nothing. Bounded by
 * a byte cap: beyond it {@link #take} refuses and the caller answers 503. Any instance that shares the folder (a
 * volume) can finish what another accepted.
 */
public final class UploadSpool {

    /** Upload ids are ours (UUIDs) or derived from a record's position: no separators, no dots first. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private final Path root;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    /** @param maxBytes the most bytes spooled at once; uploads beyond it are refused until others finish */
    public UploadSpool(Path root, long maxBytes) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
        this.maxBytes = maxBytes;
        try (Stream<Path> files = Files.walk(this.root)) { // a restart finds what the last run left
            used.set(files.filter(Files::isRegularFile).mapToLong(UploadSpool::size).sum());
        }
    }

    public Path root() {
        return root;
    }

    public long usedBytes() {
        return used.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Moves {@code file} into the spool as {@code uploadId/name} and forces it to disk.
     *
     * @return the spooled file, or empty when it would pass the cap (nothing moved)
     */
    public Optional<Path> take(Path file, String uploadId, String name) throws IOException {
        Path dir = folder(uploadId);
        long size = Files.size(file);
        if (used.addAndGet(size) > maxBytes) {
            used.addAndGet(-size);
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(safeName(name));
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING); // a copy when another file system
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the directory entry too
            } catch (IOException e) {
                // some file systems cannot open a directory for sync; the file itself is on disk
            }
            return Optional.of(target);
        } catch (IOException | RuntimeException e) {
            used.addAndGet(-size);
            throw e;
        }
    }

    /**
     * The spooled file a record names, when it is this upload's own: {@code file:} URI inside
     * {@code <root>/<uploadId>/}. Another upload's spooled file is never handed out.
     */
    public Optional<Path> find(String uri, String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches() || uri == null || !uri.startsWith("file:")) {
            return Optional.empty();
        }
        Path p;
        try {
            p = Path.of(URI.create(uri)).normalize();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return p.getParent() != null && p.getParent().equals(folder(uploadId)) && Files.isRegularFile(p)
                ? Optional.of(p) : Optional.empty();
    }

    /** Deletes a spooled file and its folder, once its fragments (or its dead letter) are acknowledged. */
    public void release(Path spooled) {
        long size = size(spooled);
        try {
            if (Files.deleteIfExists(spooled)) {
                used.addAndGet(-size);
            }
            Files.deleteIfExists(spooled.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spooled " + spooled, e);
        }
    }

    /** Moves a spooled file back where it came from: its upload was not accepted after all. */
    public void giveBack(Path spooled, Path original) throws IOException {
        long size = size(spooled);
        Files.move(spooled, original, StandardCopyOption.REPLACE_EXISTING);
        used.addAndGet(-size);
        Files.deleteIfExists(spooled.getParent());
    }

    private Path folder(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("not an upload id: '" + uploadId + "'");
        }
        return root.resolve(uploadId);
    }

    /** The name a file gets in the spool: the upload's own file name, never a path or a hidden file. */
    public static String safeName(String name) {
        String n = name == null || name.isBlank() ? "upload" : Path.of(name).getFileName().toString();
        return n.startsWith(".") ? "upload" + n : n;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
