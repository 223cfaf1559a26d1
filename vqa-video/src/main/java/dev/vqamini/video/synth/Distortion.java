package dev.vqamini.video.synth;

import java.util.SplittableRandom;

/**
 * Graded degradations applied to pristine frames before encoding (or, for {@link #COMPRESSION}, by the encoder).
 * Level 1 is mild, level 5 severe. Non-compression distortions are encoded at CRF {@link #CLEAN_CRF} so the
 * encoder adds little of its own.
 */
public enum Distortion {
    /** Separable box blur applied twice (close to Gaussian), radius = level. */
    BLUR,
    /** Additive Gaussian noise, sigma = 4 * level (fresh per frame). */
    NOISE,
    /** H.264 (libx264) at CRF 22 + 6 * level, capped at 51. */
    COMPRESSION,
    /** Downscale by 1 + 0.75 * level and back up (bilinear): lost detail, soft edges. */
    SCALING,
    /** Frame drops: every frame is held for level + 1 frames (stutter). */
    STUTTER,
    /** Over-exposure: gain 1 + 0.25 * level plus offset, clipped (washed-out highlights). */
    EXPOSURE;

    /** CRF used for everything but {@link #COMPRESSION}. */
    public static final int CLEAN_CRF = 18;

    /** The libx264 CRF a video with this distortion at {@code level} is encoded with. */
    public int crf(int level) {
        return this == COMPRESSION ? Math.min(51, 22 + 6 * level) : CLEAN_CRF;
    }

    /**
     * Distorts frame {@code f} of a sequence in place of a copy: returns a new RGB24 array. {@code frames} gives the
     * pristine frames (stutter needs earlier ones).
     */
    public byte[] apply(byte[][] frames, int f, int level, int w, int h, SplittableRandom random) {
        checkLevel(level);
        byte[] src = frames[f];
        return switch (this) {
            case BLUR -> blur(blur(src, w, h, level), w, h, level);
            case NOISE -> noise(src, 4.0 * level, random);
            case COMPRESSION -> src.clone();
            case SCALING -> rescale(src, w, h, 1 + 0.75 * level);
            case STUTTER -> frames[f - f % (level + 1)].clone();
            case EXPOSURE -> exposure(src, 1 + 0.25 * level, 8.0 * level);
        };
    }

    static void checkLevel(int level) {
        if (level < 1 || level > 5) {
            throw new IllegalArgumentException("distortion level must be 1..5, got " + level);
        }
    }

    /** Box blur of radius r along rows then columns, with running sums (edges clamped). */
    private static byte[] blur(byte[] src, int w, int h, int r) {
        byte[] tmp = new byte[src.length];
        byte[] out = new byte[src.length];
        boxPass(src, tmp, w, h, r, 3, w * 3, w, h);
        boxPass(tmp, out, w, h, r, w * 3, 3, h, w);
        return out;
    }

    /** One 1-D pass: {@code lines} lines of {@code len} samples, {@code step} apart, lines {@code lineStep} apart. */
    private static void boxPass(byte[] in, byte[] out, int w, int h, int r, int step, int lineStep, int len, int lines) {
        int n = 2 * r + 1;
        for (int line = 0; line < lines; line++) {
            for (int c = 0; c < 3; c++) {
                int base = line * lineStep + c;
                int s = 0;
                for (int k = -r; k <= r; k++) {
                    s += in[base + Math.min(len - 1, Math.max(0, k)) * step] & 0xFF;
                }
                for (int i = 0; i < len; i++) {
                    out[base + i * step] = (byte) ((s + n / 2) / n);
                    int add = Math.min(len - 1, i + r + 1);
                    int drop = Math.max(0, i - r);
                    s += (in[base + add * step] & 0xFF) - (in[base + drop * step] & 0xFF);
                }
            }
        }
    }

    private static byte[] noise(byte[] src, double sigma, SplittableRandom r) {
        // a table of standard normal samples indexed at random: exact enough, far cheaper than one draw per byte
        double[] table = new double[1 << 14];
        for (int i = 0; i < table.length; i++) {
            table[i] = gaussian(r) * sigma;
        }
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = SynthContent.clamp((src[i] & 0xFF) + table[r.nextInt() & (table.length - 1)]);
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static byte[] rescale(byte[] src, int w, int h, double factor) {
        int sw = Math.max(2, (int) Math.round(w / factor));
        int sh = Math.max(2, (int) Math.round(h / factor));
        return bilinear(bilinear(src, w, h, sw, sh), sw, sh, w, h);
    }

    private static byte[] bilinear(byte[] src, int w, int h, int ow, int oh) {
        byte[] out = new byte[ow * oh * 3];
        for (int y = 0; y < oh; y++) {
            double sy = Math.max(0, (y + 0.5) * h / oh - 0.5);
            int y0 = Math.min((int) sy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double ay = sy - y0;
            for (int x = 0; x < ow; x++) {
                double sx = Math.max(0, (x + 0.5) * w / ow - 0.5);
                int x0 = Math.min((int) sx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double ax = sx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = (src[(y0 * w + x0) * 3 + c] & 0xFF) * (1 - ax) + (src[(y0 * w + x1) * 3 + c] & 0xFF) * ax;
                    double bot = (src[(y1 * w + x0) * 3 + c] & 0xFF) * (1 - ax) + (src[(y1 * w + x1) * 3 + c] & 0xFF) * ax;
                    out[(y * ow + x) * 3 + c] = SynthContent.clamp(top * (1 - ay) + bot * ay);
                }
            }
        }
        return out;
    }

    private static byte[] exposure(byte[] src, double gain, double offset) {
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = SynthContent.clamp((src[i] & 0xFF) * gain + offset);
        }
        return out;
    }
}
