package dev.vqamini.views;

/**
 * Source indices and weights along one axis for bilinear resampling with PyTorch's
 * {@code F.interpolate(mode='bilinear', align_corners=False)} rules, in float32 as torch computes them on CPU:
 * half-pixel centres {@code src = scale * (dst + 0.5) - 0.5} (float scale, double arithmetic, float weights: the weights
 * are bit-exact with torch 1.13's CPU kernel; interpolated values agree to about 1 float ulp, so after rounding to
 * uint8 a few pixels in 10,000 may differ by 1), negative {@code src} clamped to 0, the upper neighbour
 * clamped at the edge, no antialiasing when shrinking. {@code scale} is {@code 1 / scale_factor} when interpolate was
 * given a scale factor, else {@code in / out}.
 */
final class BilinearAxis {

    final int[] i0;
    final int[] i1;
    final float[] w0;
    final float[] w1;

    private BilinearAxis(int out) {
        i0 = new int[out];
        i1 = new int[out];
        w0 = new float[out];
        w1 = new float[out];
    }

    /** Axis for {@code interpolate(size=out)}. */
    static BilinearAxis forSize(int in, int out) {
        return build(in, out, (float) in / out);
    }

    /** Axis for {@code interpolate(scale_factor=factor)}: output {@code floor(in * factor)} samples at scale {@code 1/factor}. */
    static BilinearAxis forFactor(int in, double factor) {
        return build(in, (int) Math.floor(in * factor), (float) (1.0 / factor));
    }

    int size() {
        return i0.length;
    }

    private static BilinearAxis build(int in, int out, float scale) {
        BilinearAxis a = new BilinearAxis(out);
        for (int d = 0; d < out; d++) {
            // torch keeps the scale in float but computes the source index in its CPU accumulate type, double
            double src = (double) scale * (d + 0.5) - 0.5;
            if (src < 0) {
                src = 0;
            }
            int idx = (int) Math.min((long) src, in - 1);
            float lambda = (float) Math.min(Math.max(src - idx, 0.0), 1.0);
            a.i0[d] = idx;
            a.i1[d] = idx + (idx < in - 1 ? 1 : 0);
            a.w0[d] = 1f - lambda;
            a.w1[d] = lambda;
        }
        return a;
    }

    /**
     * The interpolated value at ({@code y}, {@code x}) of channel {@code c} in an RGB24 frame (rows outer, columns
     * inner), each source value first divided by {@code divisor} (1 or 255) in float as torch does.
     */
    static float sample(byte[] rgb, int width, BilinearAxis ya, int y, BilinearAxis xa, int x, int c, float divisor) {
        int r0 = ya.i0[y] * width;
        int r1 = ya.i1[y] * width;
        int c0 = xa.i0[x];
        int c1 = xa.i1[x];
        return blend(xa.w0[x], xa.w1[x], ya.w0[y], ya.w1[y], value(rgb, r0 + c0, c, divisor), value(rgb, r0 + c1, c, divisor),
                value(rgb, r1 + c0, c, divisor), value(rgb, r1 + c1, c, divisor));
    }

    /**
     * The bilinear blend of four source values (top-left, top-right, bottom-left, bottom-right) with the column weights
     * {@code wx0, wx1} and the row weights {@code wy0, wy1}: float weights, double sums, the closest to torch 1.13's CPU
     * results of the orders we tried. Every resampler here goes through it, so all of them round alike.
     */
    static float blend(double wx0, double wx1, float wy0, float wy1, double v00, double v01, double v10, double v11) {
        double top = wx0 * v00 + wx1 * v01;
        double bottom = wx0 * v10 + wx1 * v11;
        return (float) (wy0 * top + wy1 * bottom);
    }

    private static float value(byte[] rgb, int pixel, int c, float divisor) {
        float v = rgb[pixel * 3 + c] & 0xFF;
        return divisor == 1f ? v : v / divisor;
    }
}
