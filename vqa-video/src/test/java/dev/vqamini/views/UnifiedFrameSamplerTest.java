package dev.vqamini.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import java.util.Arrays;

class UnifiedFrameSamplerTest {

    private static final OffsetMode.OffsetSource ZERO = range -> 0;
    private static final OffsetMode.OffsetSource CENTRE = OffsetMode.CENTRE.source(null);

    private static int[] range(int from, int step, int count) {
        return IntStream.range(0, count).map(k -> from + k * step).toArray();
    }

    @Test
    void technicalClipsComeFromTheThirdsOfTheVideo() {
        // F = 300: L = 100, range = 100 - 64 = 36, centre offset 18; clip c starts at 100c + 18
        int[][] idx = UnifiedFrameSampler.technical().clips(300, CENTRE);
        assertEquals(3, idx.length);
        assertArrayEquals(range(18, 2, 32), idx[0]);
        assertArrayEquals(range(118, 2, 32), idx[1]);
        assertArrayEquals(range(218, 2, 32), idx[2]);
        // F = 200: L = 66, range 2, offset 1
        assertArrayEquals(range(67, 2, 32), UnifiedFrameSampler.technical().clips(200, CENTRE)[1]);
    }

    @Test
    void shortVideosStartEachThirdAtItsBeginningAndWrapAroundModuloF() {
        // F = 40: L = 13, range negative -> offset 0; clip c = 13c + 0, 2, ..., 62, taken mod 40
        int[][] idx = UnifiedFrameSampler.technical().clips(40, CENTRE);
        for (int c = 0; c < 3; c++) {
            int start = 13 * c;
            assertArrayEquals(IntStream.range(0, 32).map(k -> (start + 2 * k) % 40).toArray(), idx[c], "clip " + c);
        }
        assertNotEquals(idx[0][0], idx[1][0], "clips of a short video are not identical");
    }

    @Test
    void centreMeansHalfOfEveryRange() {
        assertEquals(17, CENTRE.offset(35));
        assertEquals(0, CENTRE.offset(1));
        assertEquals(OffsetMode.CENTRE, OffsetMode.parse("centre"));
        assertEquals(OffsetMode.CENTRE, OffsetMode.parse("Center"));
        assertEquals(OffsetMode.RANDOM, OffsetMode.parse("random"));
        assertThrows(IllegalArgumentException.class, () -> OffsetMode.parse("middle"));
    }

    @Test
    void aestheticSpreadsOneFramePerSegmentOverTheVideo() {
        // F = 100: L = 3, range = 3 - 1*2 = 1 -> offsets 0; frames 0, 3, ..., 93
        assertArrayEquals(range(0, 3, 32), UnifiedFrameSampler.aesthetic().clips(100, ZERO)[0]);
        // F = 320: L = 10, range = 8, centre 4
        assertArrayEquals(range(4, 10, 32), UnifiedFrameSampler.aesthetic().clips(320, CENTRE)[0]);
        // F = 20 < 32 segments: L = 0, every segment starts at 0 (upstream behaviour)
        assertArrayEquals(new int[32], UnifiedFrameSampler.aesthetic().clips(20, ZERO)[0]);
    }

    @Test
    void randomOffsetsStayInRangeAndFollowTheSeed() {
        UnifiedFrameSampler s = UnifiedFrameSampler.technical();
        for (int seed = 0; seed < 200; seed++) {
            int[][] idx = s.clips(300, OffsetMode.RANDOM.source(new SplittableRandom(seed)));
            for (int c = 0; c < 3; c++) {
                assertTrue(idx[c][0] >= 100 * c && idx[c][0] < 100 * c + 36, "start " + idx[c][0]);
                assertEquals(idx[c][0] + 62, idx[c][31]);
            }
        }
        int[] a = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(7)));
        int[] b = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(7)));
        int[] c = s.sample(300, OffsetMode.RANDOM.source(new SplittableRandom(8)));
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void aestheticRandomOffsetsAreIndependentPerSegment() {
        int[] idx = UnifiedFrameSampler.aesthetic().sample(3200, OffsetMode.RANDOM.source(new SplittableRandom(3)));
        long distinctOffsets = IntStream.range(0, 32).map(s -> idx[s] - 100 * s).distinct().count();
        assertTrue(distinctOffsets > 10, "offsets per segment should vary, got " + distinctOffsets + " distinct");
        IntStream.range(0, 32).forEach(s -> assertTrue(idx[s] - 100 * s >= 0 && idx[s] - 100 * s < 98));
    }

    @Test
    void refusesEmptyVideosAndBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> UnifiedFrameSampler.technical().sample(0, ZERO));
        assertThrows(IllegalArgumentException.class, () -> new UnifiedFrameSampler(0, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new UnifiedFrameSampler(30, 1, 2, 1));
    }
}
