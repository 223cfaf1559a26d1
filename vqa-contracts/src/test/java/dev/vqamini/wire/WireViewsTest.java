package dev.vqamini.wire;

import dev.vqamini.clips.View;
import dev.vqamini.wire.proto.ViewKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireViewsTest {

    @Test
    void everyViewRoundTrips() {
        for (View v : View.values()) {
            assertEquals(v, WireViews.fromWire(WireViews.toWire(v)));
        }
    }

    @Test
    void unsetViewIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> WireViews.fromWire(ViewKind.VIEW_KIND_UNSPECIFIED));
    }
}
