package dev.vqamini.views;

import dev.vqamini.video.RgbFrame;

/**
 * The aesthetic view's spatial step: the whole frame resized bilinearly to {@code outH x outW} (aspect ratio not kept),
 * as upstream's torchvision {@code Resize((224, 224))} on a uint8 tensor does: float32 bilinear with
 * {@code align_corners=False} and no antialiasing, then rounded half-to-even back to uint8.
 */
public final class ResizedViewSampler {

    private final int outH;
    private final int outW;
    private int srcH = -1;
    private int srcW = -1;
    private BilinearAxis ya;
    private BilinearAxis xa;

    public ResizedViewSampler(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    /** The DOVER setting, 224 x 224. */
    public static ResizedViewSampler dover() {
        return new ResizedViewSampler(224, 224);
    }

    public int outHeight() {
        return outH;
    }

    public int outWidth() {
        return outW;
    }

    /**
     * Resizes {@code frame} into {@code out}, channel {@code ch} plane starting at {@code planeOffset(ch)}: writes
     * {@code out[planeOffset + ch * channelStride + y * outW + x]}.
     */
    public void resize(RgbFrame frame, byte[] out, int planeOffset, int channelStride) {
        axes(frame.height(), frame.width());
        byte[] rgb = frame.data();
        int stride = 3 * frame.width();
        // BilinearAxis.sample's blend, with each output pixel's source offsets and weights looked up once for its
        // three channels instead of once per channel: ingest's largest Java cost (docs/benchmarks.md)
        for (int y = 0; y < outH; y++) {
            int r0 = ya.i0[y] * stride;
            int r1 = ya.i1[y] * stride;
            float wy0 = ya.w0[y];
            float wy1 = ya.w1[y];
            int row = planeOffset + y * outW;
            for (int x = 0; x < outW; x++) {
                int c0 = 3 * xa.i0[x];
                int c1 = 3 * xa.i1[x];
                double ww0 = xa.w0[x];
                double ww1 = xa.w1[x];
                for (int c = 0; c < 3; c++) {
                    float v = BilinearAxis.blend(ww0, ww1, wy0, wy1, rgb[r0 + c0 + c] & 0xFF, rgb[r0 + c1 + c] & 0xFF,
                            rgb[r1 + c0 + c] & 0xFF, rgb[r1 + c1 + c] & 0xFF);
                    out[row + c * channelStride + x] = (byte) (int) Math.rint(Math.min(255f, Math.max(0f, v)));
                }
            }
        }
    }

    /** Convenience: the resized frame as packed RGB24 ({@code outH x outW x 3}). */
    public RgbFrame resize(RgbFrame frame) {
        byte[] planes = new byte[3 * outH * outW];
        resize(frame, planes, 0, outH * outW);
        byte[] packed = new byte[planes.length];
        int n = outH * outW;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                packed[i * 3 + c] = planes[c * n + i];
            }
        }
        return new RgbFrame(outW, outH, packed);
    }

    private void axes(int h, int w) {
        if (h != srcH || w != srcW) {
            ya = BilinearAxis.forSize(h, outH);
            xa = BilinearAxis.forSize(w, outW);
            srcH = h;
            srcW = w;
        }
    }
}
