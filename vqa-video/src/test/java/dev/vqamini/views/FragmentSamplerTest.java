package dev.vqamini.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.video.RgbFrame;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FragmentSamplerTest {

    private static final OffsetMode.OffsetSource ZERO = range -> 0;

    private static int[] rowStarts(FragmentSampler.Layout l) {
        int[] ys = new int[7];
        for (int i = 0; i < 7; i++) {
            ys[i] = l.y(0, i * 7);
        }
        return ys;
    }

    private static int[] colStarts(FragmentSampler.Layout l) {
        int[] xs = new int[7];
        for (int j = 0; j < 7; j++) {
            xs[j] = l.x(0, j);
        }
        return xs;
    }

    @Test
    void exactly224IsTiledWithoutGaps() {
        FragmentSampler.Layout l = FragmentSampler.dover().layout(224, 224, 1, ZERO);
        assertFalse(l.upscaled());
        assertArrayEquals(new int[] {0, 32, 64, 96, 128, 160, 192}, rowStarts(l));
        assertArrayEquals(new int[] {0, 32, 64, 96, 128, 160, 192}, colStarts(l));
    }

    @Test
    void cellStartsAreMinOfIJTimesCellAndSideMinus32() {
        // 240 x 320: H//7 = 34, W//7 = 45; starts min(34 i, 208), min(45 j, 288)
        FragmentSampler.Layout l = FragmentSampler.dover().layout(240, 320, 1, ZERO);
        assertArrayEquals(new int[] {0, 34, 68, 102, 136, 170, 204}, rowStarts(l));
        assertArrayEquals(new int[] {0, 45, 90, 135, 180, 225, 270}, colStarts(l));
        // offsets: range H//7-32 = 2 and W//7-32 = 13; a source answering range-1 shifts by 1 and 12
        FragmentSampler.Layout max = FragmentSampler.dover().layout(240, 320, 1, r -> r - 1);
        assertEquals(1 + 34, max.y(0, 7));
        assertEquals(12 + 45, max.x(0, 1));
        // 230 x 230: cells of 32 whose start would be 6*32 = 192 fit; side - 32 = 198 never binds, no offset range
        FragmentSampler.Layout small = FragmentSampler.dover().layout(230, 230, 1, r -> r - 1);
        assertArrayEquals(new int[] {0, 32, 64, 96, 128, 160, 192}, rowStarts(small));
    }

    @Test
    void smallFramesAreUpscaledAndUseThePreUpscaleGridLikeUpstream() {
        // 64 x 96 (h x w): ratio = 64/224 -> upscaled to 224 x 336; grid from 64 x 96: min(9 i, 32), min(13 j, 64)
        FragmentSampler.Layout l = FragmentSampler.dover().layout(64, 96, 1, r -> r - 1);
        assertTrue(l.upscaled());
        assertArrayEquals(new int[] {224, 336}, l.sampledSize());
        assertArrayEquals(new int[] {0, 9, 18, 27, 32, 32, 32}, rowStarts(l));
        assertArrayEquals(new int[] {0, 13, 26, 39, 52, 64, 64}, colStarts(l));
    }

    @Test
    void randomPositionsDifferPerClipAndStayInsideTheirCells() {
        FragmentSampler.Layout l = FragmentSampler.dover().layout(720, 1280, 3, OffsetMode.RANDOM.source(new SplittableRandom(1)));
        int cellH = 720 / 7;
        int cellW = 1280 / 7;
        boolean differ = false;
        for (int c = 0; c < 3; c++) {
            for (int cell = 0; cell < 49; cell++) {
                int i = cell / 7;
                int j = cell % 7;
                int dy = l.y(c, cell) - Math.min(cellH * i, 720 - 32);
                int dx = l.x(c, cell) - Math.min(cellW * j, 1280 - 32);
                assertTrue(dy >= 0 && dy < cellH - 32, "dy " + dy);
                assertTrue(dx >= 0 && dx < cellW - 32, "dx " + dx);
                differ |= c > 0 && l.y(c, cell) != l.y(0, cell);
            }
        }
        assertTrue(differ, "clips should get their own positions");
    }

    @Test
    void cutCopiesThePatchPixelsIntoPlanarChannels() {
        int h = 240;
        int w = 320;
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) y;
                rgb[(y * w + x) * 3 + 1] = (byte) x;
                rgb[(y * w + x) * 3 + 2] = (byte) (x + y);
            }
        }
        FragmentSampler s = FragmentSampler.dover();
        FragmentSampler.Layout l = s.layout(h, w, 1, ZERO);
        byte[] out = new byte[3 * 224 * 224];
        s.cut(new RgbFrame(w, h, rgb), l, 0, out, 0, 224 * 224);
        // output (y=32*2+5, x=32*3+7) comes from cell (2,3): source (68+5, 135+7)
        int o = (64 + 5) * 224 + 96 + 7;
        assertEquals(73, out[o] & 0xFF);
        assertEquals(142, out[224 * 224 + o] & 0xFF);
        assertEquals((73 + 142) & 0xFF, out[2 * 224 * 224 + o] & 0xFF);
    }
}
