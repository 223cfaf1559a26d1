package dev.vqamini.model.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * Graphs as ONNX Runtime optimised them (level ALL: constant folding, fusions, the NCHWc layout), kept on disk so
 * that a version opened again (a scorer's restart, every bench process, each view of a bundle) skips the
 * optimisation passes. A file is named by the SHA-256 of the graph's bytes together with the ONNX Runtime version
 * and this CPU's instruction-set flags, because a level-ALL graph is specific to the hardware and runtime that made
 * it; it is written to a temporary name and moved into place, so concurrent openers never read half a file.
 * A cached graph is loaded with the optimisers off: it is already optimised.
 *
 * <p>Off unless configured: {@link #DIR_PROPERTY} or {@code $VQA_ORT_CACHE} names the folder.
 */
public final class OptimizedModelCache {

    public static final String DIR_PROPERTY = "vqa.ort.cache-dir";
    public static final String DIR_ENV = "VQA_ORT_CACHE";

    private static final Logger LOG = Logger.getLogger(OptimizedModelCache.class.getName());

    private final Path dir;
    private final String environmentKey;

    public OptimizedModelCache(Path dir) {
        this.dir = dir;
        this.environmentKey = OrtRuntime.environment().getVersion() + "|" + cpuFlags();
    }

    /** The cache named by the system property or environment variable, or null when neither is set. */
    public static OptimizedModelCache configured() {
        String d = System.getProperty(DIR_PROPERTY);
        if (d == null || d.isBlank()) {
            d = System.getenv(DIR_ENV);
        }
        return d == null || d.isBlank() ? null : new OptimizedModelCache(Path.of(d));
    }

    /** Where the optimised form of {@code onnx} lives (present or not). */
    public Path fileFor(byte[] onnx) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(onnx);
            sha.update(environmentKey.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(sha.digest()) + ".optimized.onnx");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a session for {@code onnx} with {@code options} (level ALL), from the cached optimised graph if there is one. */
    OrtSession open(byte[] onnx, OrtSession.SessionOptions options) throws OrtException {
        Path file = fileFor(onnx);
        if (Files.isRegularFile(file)) {
            try {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                return OrtRuntime.environment().createSession(file.toString(), options);
            } catch (OrtException e) {
                // a damaged file: optimise afresh and replace it
                LOG.warning("optimised graph " + file + " did not load (" + e.getMessage() + "); optimising again");
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            }
        }
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "writing-", ".onnx");
        } catch (IOException e) {
            LOG.warning("optimised-graph cache " + dir + " is not writable (" + e.getMessage() + "); not caching");
            return OrtRuntime.environment().createSession(onnx, options);
        }
        options.setOptimizedModelFilePath(tmp.toString());
        OrtSession session = OrtRuntime.environment().createSession(onnx, options);
        try {
            if (Files.size(tmp) > 0) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return session;
    }

    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line;
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux: the architecture is what we know
        }
        return System.getProperty("os.arch");
    }
}
