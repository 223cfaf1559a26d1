package dev.vqamini.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vqamini.video.RgbFrame;
import org.junit.jupiter.api.Test;
import java.util.Random;

/**
 * Bilinear resampling against hand-computed cases and against values PyTorch 1.13 produced for the same inputs
 * ({@code F.interpolate(mode='bilinear', align_corners=False)}; the numbers are copied here, torch is not run).
 */
class BilinearTorchParityTest {

    /** The test pattern, as generated on the torch side: (y*31 + x*17 + (y*x)%7*5) % 256 in all three channels. */
    static RgbFrame pattern(int h, int w) {
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (y * 31 + x * 17 + (y * x) % 7 * 5) % 256;
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) v;
                }
            }
        }
        return new RgbFrame(w, h, rgb);
    }

    @Test
    void upscalingRowByFourMatchesHandComputedHalfPixelWeights() {
        // src = 0.5 * (d + 0.5) - 0.5 -> -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper neighbour clamped)
        RgbFrame row = new RgbFrame(2, 1, new byte[] {10, 10, 10, 50, 50, 50});
        RgbFrame out = new ResizedViewSampler(1, 4).resize(row);
        int[] got = new int[4];
        for (int x = 0; x < 4; x++) {
            got[x] = out.get(0, x, 0);
        }
        assertArrayEquals(new int[] {10, 20, 40, 50}, got);
    }

    @Test
    void downscalingByTwoAveragesTheTwoNearestWithoutAntialiasing() {
        // 4 -> 2: src = 2 * (d + 0.5) - 0.5 = 0.5, 2.5: mean of columns (0,1) and (2,3); no wider filter
        RgbFrame row = new RgbFrame(4, 1, new byte[] {0, 0, 0, 100, 100, 100, (byte) 200, (byte) 200, (byte) 200, 0, 0, 0});
        RgbFrame out = new ResizedViewSampler(1, 2).resize(row);
        assertEquals(50, out.get(0, 0, 1));
        assertEquals(100, out.get(0, 1, 1));
    }

    @Test
    void roundingIsHalfToEvenLikeTorchRound() {
        // 0 and 1 upscaled by 4 give 0, 0.25, 0.75, 1 -> 0, 0, 1, 1; 0 and 2 give 0, 0.5, 1.5, 2 -> 0, 0, 2, 2
        RgbFrame a = new ResizedViewSampler(1, 4).resize(new RgbFrame(2, 1, new byte[] {0, 0, 0, 1, 1, 1}));
        RgbFrame b = new ResizedViewSampler(1, 4).resize(new RgbFrame(2, 1, new byte[] {0, 0, 0, 2, 2, 2}));
        assertArrayEquals(new int[] {0, 0, 1, 1}, new int[] {a.get(0, 0, 0), a.get(0, 1, 0), a.get(0, 2, 0), a.get(0, 3, 0)});
        assertArrayEquals(new int[] {0, 0, 2, 2}, new int[] {b.get(0, 0, 0), b.get(0, 1, 0), b.get(0, 2, 0), b.get(0, 3, 0)});
    }

    @Test
    void aestheticResizeMatchesTorchOnUpAndDownscaling() {
        assertResize(37, 50, 6397010L, new int[] {23, 23, 24, 29, 33, 38});
        assertResize(300, 200, 6397079L, new int[] {40, 65, 91, 106, 117, 128});
        assertResize(480, 640, 6398280L, new int[] {114, 49, 93, 152, 203, 208});
    }

    @Test
    void resizeWritesTheSampleFormulaBitForBitIntoEachChannelPlane() {
        Random random = new Random(23);
        for (int[] size : new int[][] {{97, 131}, {1080, 1920}, {150, 224}}) {
            int h = size[0];
            int w = size[1];
            byte[] rgb = new byte[h * w * 3];
            random.nextBytes(rgb);
            ResizedViewSampler sampler = ResizedViewSampler.dover();
            int plane = 224 * 224;
            byte[] out = new byte[5 + 6 * plane]; // at an offset, planes two apart: as ViewSampler lays out frames
            sampler.resize(new RgbFrame(w, h, rgb), out, 5, 2 * plane);
            BilinearAxis ya = BilinearAxis.forSize(h, 224);
            BilinearAxis xa = BilinearAxis.forSize(w, 224);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 224; y++) {
                    for (int x = 0; x < 224; x++) {
                        float v = BilinearAxis.sample(rgb, w, ya, y, xa, x, c, 1f);
                        int expected = (int) Math.rint(Math.min(255f, Math.max(0f, v)));
                        assertEquals(expected, out[5 + c * 2 * plane + y * 224 + x] & 0xFF, h + "x" + w + " c" + c + " y" + y + " x" + x);
                    }
                }
            }
        }
    }

    private static void assertResize(int h, int w, long torchSum, int[] torchRow7) {
        RgbFrame out = ResizedViewSampler.dover().resize(pattern(h, w));
        long sum = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                sum += out.get(y, x, 0);
            }
        }
        int[] row = new int[6];
        for (int x = 0; x < 6; x++) {
            row[x] = out.get(7, x, 2);
        }
        assertArrayEquals(torchRow7, row, h + "x" + w);
        // float rounding order differs from torch's compiled kernel by ~1 ulp: a handful of pixels may round apart
        assertEquals(torchSum, sum, 8, h + "x" + w + " sum over 224x224");
    }

    @Test
    void fragmentUpscaleMatchesTorchScaleFactorInterpolationTruncatedToUint8() {
        // torch: (F.interpolate(v / 255.0, scale_factor=1/ratio, mode='bilinear') * 255.0).type_as(v), ratio = 13/224
        RgbFrame f = pattern(13, 20);
        double ratio = Math.min(13 / 224.0, 20 / 224.0);
        BilinearAxis ya = BilinearAxis.forFactor(13, 1 / ratio);
        BilinearAxis xa = BilinearAxis.forFactor(20, 1 / ratio);
        assertEquals(224, ya.size());
        assertEquals(344, xa.size());
        long sum = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 344; x++) {
                sum += (int) (BilinearAxis.sample(f.data(), 20, ya, y, xa, x, 0, 255f) * 255f);
            }
        }
        int[] row = new int[6];
        for (int x = 0; x < 6; x++) {
            row[x] = (int) (BilinearAxis.sample(f.data(), 20, ya, 200, xa, 300 + x, 1, 255f) * 255f);
        }
        assertArrayEquals(new int[] {142, 144, 144, 145, 145, 146}, row);
        // truncation turns a 1-ulp difference at integer values (e.g. 99.99999 vs 100.0) into 1: allow a few
        assertEquals(9722826L, sum, 20);
    }
}
