package dev.vqamini.serving;

import dev.vqamini.wire.DeadLetters;
import java.util.Locale;

/** The check a refused model version failed; its {@link #tag()} is the {@code check} label of the refusal metrics. */
public enum RefusalCheck implements DeadLetters.ErrorKind {
    /** Its chunks on vqa.models do not join into the announced archive. */
    CHUNKS,
    /** The archive is not a bundle, or a file does not match the manifest's sha256. */
    BUNDLE,
    /** Unsigned, or not signed by the key the scorer verifies with ({@code vqa.models.verify-key}). */
    SIGNATURE,
    /** A graph does not load in ONNX Runtime. */
    ONNX,
    /** A graph does not take uint8 pixels N x 3 x T x H x W or does not give scores and head maps. */
    GRAPH,
    /** A graph fails, or gives non-finite scores, on a probe batch at the maximum batch size. */
    PROBE,
    /** It runs on another device than the scorer requires. */
    DEVICE,
    /** Anything else that kept it from loading. */
    LOAD;

    @Override
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
