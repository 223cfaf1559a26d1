package dev.vqamini.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedFrameSamplerTest {

    private static final OffsetMode.OffsetSource ZERO = (i, n, range) -> 0;

    private static int[] range(int from, int step, int count) {
        return IntStream.range(0, count).map(k -> from + k * step).toArray();
    }

    @Test
    void technicalClipIsThirtyTwoFramesAtStrideTwoFromTheOffset() {
        int[][] idx = UnifiedFrameSampler.technical().sample(100, OffsetMode.DETERMINISTIC.source(null));
        // range = 100 - 32*2 = 36; clips spread at 36*1/4, 36*2/4, 36*3/4
        assertEquals(3, idx.length);
        assertArrayEquals(range(9, 2, 32), idx[0]);
        assertArrayEquals(range(18, 2, 32), idx[1]);
        assertArrayEquals(range(27, 2, 32), idx[2]);
    }

    @Test
    void shortVideosWrapAroundModuloF() {
        // F = 40 < 64: range not positive -> offset 0; indices 0, 2, ..., 62 taken mod 40
        int[] clip = UnifiedFrameSampler.technical().sample(40, ZERO)[0];
        int[] expected = IntStream.range(0, 32).map(k -> (2 * k) % 40).toArray();
        assertArrayEquals(expected, clip);
        assertEquals(0, clip[20]);
        assertEquals(22, clip[31]);
    }

    @Test
    void aestheticSpreadsOneFramePerSegmentOverTheVideo() {
        // F = 100: L = 3, range = 3 - 1*2 = 1 -> offsets 0; frames 0, 3, ..., 93
        assertArrayEquals(range(0, 3, 32), UnifiedFrameSampler.aesthetic().sample(100, ZERO)[0]);
        // F = 320: L = 10, range = 8; a source answering range-1 gives the last allowed offset, 7
        int[] last = UnifiedFrameSampler.aesthetic().sample(320, (i, n, r) -> r - 1)[0];
        assertArrayEquals(range(7, 10, 32), last);
        // F = 20 < 32 segments: L = 0, every segment starts at 0 (upstream behaviour)
        assertArrayEquals(new int[32], UnifiedFrameSampler.aesthetic().sample(20, ZERO)[0]);
    }

    @Test
    void randomOffsetsStayInRangeAndFollowTheSeed() {
        UnifiedFrameSampler s = UnifiedFrameSampler.technical();
        for (int seed = 0; seed < 200; seed++) {
            int[][] idx = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(seed)));
            for (int[] clip : idx) {
                assertTrue(clip[0] >= 0 && clip[0] < 300 - 64, "start " + clip[0]);
                assertEquals(clip[0] + 62, clip[31]);
            }
        }
        int[][] a = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(7)));
        int[][] b = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(7)));
        int[][] c = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(8)));
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.deepToString(a), java.util.Arrays.deepToString(c));
    }

    @Test
    void aestheticRandomOffsetsAreIndependentPerSegment() {
        int[] idx = UnifiedFrameSampler.aesthetic().sample(3200, OffsetMode.RANDOM.source(new SplittableRandom(3)))[0];
        long distinctOffsets = IntStream.range(0, 32).map(s -> idx[s] - 100 * s).distinct().count();
        assertTrue(distinctOffsets > 10, "offsets per segment should vary, got " + distinctOffsets + " distinct");
        IntStream.range(0, 32).forEach(s -> assertTrue(idx[s] - 100 * s >= 0 && idx[s] - 100 * s < 98));
    }

    @Test
    void refusesEmptyVideosAndBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> UnifiedFrameSampler.technical().sample(0, ZERO));
        assertThrows(IllegalArgumentException.class, () -> new UnifiedFrameSampler(0, 1, 2, 1));
    }
}
