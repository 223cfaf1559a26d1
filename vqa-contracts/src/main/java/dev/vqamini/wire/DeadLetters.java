package dev.vqamini.wire;

import com.google.protobuf.ByteString;
import dev.vqamini.wire.proto.DeadLetter;
import java.util.Locale;

/**
 * The one way a record on vqa.dlq is made. Its stage and error kind are typed, so that every reader (metrics-service's
 * refusal gate, the dead-letter counters and dashboards) matches the same words the writers used.
 */
public final class DeadLetters {

    /** Where a record gave up; {@link #tag()} is what the stage field carries. */
    public enum Stage {
        /** An upload event on vqa.uploads that does not decode. */
        INGEST_EVENT,
        /** An upload whose URI is refused or cannot be fetched. */
        INGEST_FETCH,
        /** An upload over the size limit. */
        INGEST_LIMITS,
        /** An upload that is not a usable video. */
        INGEST_DECODE,
        /** An upload that could not be read for another reason. */
        INGEST_READ,
        /** A fragment record or a video the scorer could not score. */
        SCORER,
        /** A model version the scorer refused (keyed by the version): what the rollout's refusal gate counts. */
        SCORER_MODEL;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A bounded word for why a record gave up: the {@code reason} tag of the dead-letter counters. */
    public interface ErrorKind {
        String tag();
    }

    /** The kinds that are not already a closed set of their own (video input kinds, model refusal checks). */
    public enum Kind implements ErrorKind {
        /** Refused before any work: a bad URI, an event that does not decode. */
        REFUSED,
        /** Over a size limit. */
        TOO_LARGE,
        /** Could not be read. */
        UNREADABLE,
        /** A record whose bytes are not the topic's protobuf. */
        UNDECODABLE,
        /** Clips that do not fit together into one video. */
        MALFORMED_VIDEO,
        /** A video whose clips stopped arriving. */
        INCOMPLETE,
        /** The model failed on the video. */
        INFERENCE;

        @Override
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private DeadLetters() {
    }

    /**
     * A dead letter for {@code key} (the video id, or the model version), with its time; add the original record's
     * place and bytes when there is one.
     */
    public static DeadLetter.Builder of(Stage stage, ErrorKind kind, String key, String reason) {
        return DeadLetter.newBuilder().setStage(stage.tag()).setErrorType(kind.tag()).setReason(reason == null ? "" : reason)
                .setOriginalKey(key == null ? ByteString.EMPTY : ByteString.copyFromUtf8(key))
                .setFailedAtMs(System.currentTimeMillis());
    }
}
