package dev.vqamini.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.ViewKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import java.util.Arrays;

class ClipAssemblerTest {

    private static FragmentClip clip(String id, ViewKind view, int index, int count) {
        byte[] px = new byte[3 * 2 * 4 * 4];
        Arrays.fill(px, (byte) (10 * index + view.getNumber()));
        return FragmentClip.newBuilder().setVideoId(id).setView(view).setClipIndex(index).setClipCount(count)
                .addFrameIndices(index).addFrameIndices(index + 1).setBatch(1).setChannels(3).setFrames(2).setHeight(4)
                .setWidth(4).setPixels(ByteString.copyFrom(px)).setIngestTimeMs(42).build();
    }

    @Test
    void aVideoIsHandedOverOnceAllItsClipsArrivedInAnyOrderWithDuplicates() {
        ClipAssembler a = new ClipAssembler();
        assertTrue(a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 2, 3), 1).isEmpty());
        assertTrue(a.add(clip("v", ViewKind.VIEW_KIND_AESTHETIC, 0, 1), 2).isEmpty());
        assertTrue(a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 2, 3), 3).isEmpty(), "a duplicate completes nothing");
        assertTrue(a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 0, 3), 4).isEmpty());
        assertEquals("3 of 4 clips", a.pending().get(0).describe());
        Optional<ClipAssembler.Video> done = a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 1, 3), 5);
        assertTrue(done.isPresent());
        assertEquals(3, done.get().views().technical().clips());
        assertEquals(1, done.get().views().aesthetic().clips());
        assertArrayEquals(new int[] {2, 3}, done.get().views().technical().frameIndices()[2]);
        byte[] px = done.get().views().technical().pixels();
        assertEquals(20 + ViewKind.VIEW_KIND_TECHNICAL.getNumber(), px[2 * 96]); // clip 2 in its place
        assertEquals(0, done.get().metadata().getPixels().size());
        assertEquals(1, done.get().firstSeenMs());
        assertTrue(a.pending().isEmpty());
    }

    @Test
    void contradictingClipsAreRefusedAndPendingVideosCanBeDropped() {
        ClipAssembler a = new ClipAssembler();
        a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 0, 3), 1);
        assertThrows(IllegalArgumentException.class, () -> a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 1, 2), 2));
        assertThrows(IllegalArgumentException.class, () -> a.add(clip("v", ViewKind.VIEW_KIND_TECHNICAL, 3, 3), 2));
        assertEquals("1 of 4 clips", a.drop("v").orElseThrow().describe());
        assertTrue(a.drop("v").isEmpty());
    }
}
