package dev.vqamini.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.nio.file.Files;

/**
 * Which server files a remote caller may name: only paths below the configured roots (after resolving {@code ..} and
 * symbolic links), and datasets by name, as a folder directly under a root. Nothing is read or even tested for
 * existence before a path passes, so a refusal tells a caller nothing about the server's files.
 */
public final class ServerPaths {

    /** A path or name a caller may not use; the message names the rule. */
    public static final class RefusedException extends SecurityException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final List<Path> roots;
    private final String setting;

    /**
     * @param roots   the allowed folders; none: every path is refused
     * @param setting the configuration key that lists them, named in refusals
     */
    public ServerPaths(List<Path> roots, String setting) {
        this.roots = roots.stream().map(ServerPaths::real).toList();
        this.setting = setting;
    }

    /**
     * The path, if it lies below a root.
     *
     * @param what the request field, named in the refusal
     * @throws RefusedException otherwise
     */
    public Path check(String what, String path) {
        if (roots.isEmpty()) {
            throw new RefusedException(what + ": server paths are not accepted (" + setting + " is empty); name a dataset"
                    + " or sample calibration videos from Kafka instead");
        }
        Path p;
        try {
            p = real(Path.of(path));
        } catch (RuntimeException e) {
            throw new RefusedException(what + ": not a path: " + e.getMessage());
        }
        if (roots.stream().noneMatch(p::startsWith)) {
            throw new RefusedException(what + ": " + path + " is outside the allowed folders (" + setting + ")");
        }
        return p;
    }

    /** The folder of dataset {@code name} under the first root that has it (the name may not contain a path). */
    public Path dataset(String name) {
        if (!DATASET_NAME.matcher(name).matches() || name.contains("..")) {
            throw new RefusedException("dataset: '" + name + "' is not a dataset name (letters, digits, . _ -; no path)");
        }
        for (Path root : roots) {
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                return check("dataset", dir.toString());
            }
        }
        throw new IllegalArgumentException("dataset: no dataset '" + name + "' under " + setting);
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs; // does not exist (yet): the normalised path decides
        }
    }
}
