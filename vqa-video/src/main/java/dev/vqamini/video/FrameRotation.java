package dev.vqamini.video;

/** Turns RGB24 pictures clockwise by multiples of 90 degrees, so rotated phone videos come out upright. */
public final class FrameRotation {

    private FrameRotation() {
    }

    /** Normalises an angle to 0, 90, 180 or 270 (nearest quarter turn; display matrices may be slightly off). */
    public static int quarterTurns(double clockwiseDegrees) {
        if (Double.isNaN(clockwiseDegrees) || Double.isInfinite(clockwiseDegrees)) {
            return 0;
        }
        long q = Math.round(clockwiseDegrees / 90.0);
        return (int) Math.floorMod(q, 4L) * 90;
    }

    /**
     * Rotates {@code src} clockwise by {@code degrees} (0, 90, 180 or 270) into {@code dst} (length >= src's pixels).
     *
     * @return the rotated frame backed by {@code dst}, or {@code src} itself when degrees is 0
     */
    public static RgbFrame rotate(RgbFrame src, int degrees, byte[] dst) {
        int w = src.width();
        int h = src.height();
        byte[] s = src.data();
        switch (degrees) {
            case 0:
                return src;
            case 90: { // out is h wide, w tall: out(y=x, x=h-1-y) = in(y, x)
                for (int y = 0; y < h; y++) {
                    int ox = h - 1 - y;
                    for (int x = 0; x < w; x++) {
                        copy(s, (y * w + x) * 3, dst, (x * h + ox) * 3);
                    }
                }
                return new RgbFrame(h, w, dst);
            }
            case 180: {
                int n = w * h;
                for (int i = 0; i < n; i++) {
                    copy(s, i * 3, dst, (n - 1 - i) * 3);
                }
                return new RgbFrame(w, h, dst);
            }
            case 270: { // out(y=w-1-x, x=y) = in(y, x)
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        copy(s, (y * w + x) * 3, dst, ((w - 1 - x) * h + y) * 3);
                    }
                }
                return new RgbFrame(h, w, dst);
            }
            default:
                throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + degrees);
        }
    }

    private static void copy(byte[] s, int si, byte[] d, int di) {
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
    }
}
