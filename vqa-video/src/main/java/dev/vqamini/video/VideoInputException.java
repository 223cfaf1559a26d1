package dev.vqamini.video;

import dev.vqamini.wire.DeadLetters;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A video file that cannot be used: missing, empty, not a video, without a video stream, truncated to nothing,
 * or outside the configured {@link VideoLimits}. The message is one line, {@code "<file>: <reason>"}.
 * Unchecked so that batch code can catch it per file and carry on.
 */
public class VideoInputException extends RuntimeException {

    /** What kind of unusable it is: a closed set, for metric tags and dead-letter error types. */
    public enum Kind implements DeadLetters.ErrorKind {
        EMPTY, TOO_LONG, RESOLUTION, NOT_A_VIDEO, TRUNCATED, UNREADABLE;

        @Override
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final transient Path path;
    private final String reason;
    private final Kind kind;

    public VideoInputException(Path path, Kind kind, String reason) {
        this(path, kind, reason, null);
    }

    public VideoInputException(Path path, Kind kind, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
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
