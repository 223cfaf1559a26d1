package dev.vqamini.video;

import java.nio.file.Path;

/**
 * A video file that cannot be used: missing, empty, not a video, without a video stream, truncated to nothing,
 * or outside the configured {@link VideoLimits}. The message is one line, {@code "<file>: <reason>"}.
 * Unchecked so that batch code can catch it per file and carry on.
 */
public class VideoInputException extends RuntimeException {

    private final transient Path path;
    private final String reason;

    public VideoInputException(Path path, String reason) {
        this(path, reason, null);
    }

    public VideoInputException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The offending file. */
    public Path path() {
        return path;
    }

    /** Why it was refused, without the file name. */
    public String reason() {
        return reason;
    }
}
