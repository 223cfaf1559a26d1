package dev.vqamini.wire;

import dev.vqamini.clips.View;
import dev.vqamini.wire.proto.ViewKind;

/** Converts between the domain {@link View} and its wire enum {@link ViewKind}. */
public final class WireViews {

    private WireViews() {
    }

    /** The wire value of a view. */
    public static ViewKind toWire(View view) {
        return switch (view) {
            case TECHNICAL -> ViewKind.VIEW_KIND_TECHNICAL;
            case AESTHETIC -> ViewKind.VIEW_KIND_AESTHETIC;
        };
    }

    /**
     * The domain view of a wire value.
     *
     * @throws IllegalArgumentException for an unset or unknown value (a record from a newer or broken producer)
     */
    public static View fromWire(ViewKind kind) {
        return switch (kind) {
            case VIEW_KIND_TECHNICAL -> View.TECHNICAL;
            case VIEW_KIND_AESTHETIC -> View.AESTHETIC;
            default -> throw new IllegalArgumentException("record has no known view: " + kind
                    + " (expected VIEW_KIND_TECHNICAL or VIEW_KIND_AESTHETIC)");
        };
    }
}
