package dev.vqamini.video;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getColorspaceDetails;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded pictures to packed RGB24 as FFmpeg's {@code scale} filter does (which is how upstream's decord
 * converts): with the frame's own colour matrix and range tags, BT.601 for untagged or unknown matrices, limited
 * range unless the frame says full. JavaCV's grabber would always convert as BT.601, about 9 levels off on BT.709 HD
 * video. One instance per decoding pass; not thread-safe.
 */
final class RgbConverter implements AutoCloseable {

    private SwsContext context;
    private int width = -1;
    private int height = -1;
    private int format = -1;
    private int colorspace = -1;
    private int range = -1;
    private BytePointer buffer;
    private final IntPointer stride = new IntPointer(1);

    /** Which colour matrix a frame tagged {@code colorspace} converts with (vf_scale's "auto" rule). */
    static int effectiveMatrix(int colorspace) {
        return colorspace < 1 || colorspace > 10 || colorspace == 8 ? AVCOL_SPC_BT470BG : colorspace;
    }

    /** Converts {@code picture} into {@code dst} (w*h*3 bytes, rows packed). */
    void convert(AVFrame picture, byte[] dst) {
        int w = picture.width();
        int h = picture.height();
        int fmt = picture.format();
        if (w != width || h != height || fmt != format || picture.colorspace() != colorspace
                || picture.color_range() != range) {
            setUp(w, h, fmt, picture.colorspace(), picture.color_range());
        }
        BytePointer[] out = {buffer};
        sws_scale(context, picture.data(), picture.linesize(), 0, h, new PointerPointer<>(out), stride);
        int row = w * 3;
        int s = stride.get(0);
        if (s == row) {
            buffer.position(0).get(dst, 0, row * h);
        } else {
            for (int y = 0; y < h; y++) {
                buffer.position((long) y * s).get(dst, y * row, row);
            }
        }
        buffer.position(0);
    }

    private void setUp(int w, int h, int fmt, int spc, int rng) {
        // a fresh context: a cached one would report the range set for the previous frames, not the format's own
        if (context != null) {
            sws_freeContext(context);
        }
        context = sws_getContext(w, h, fmt, w, h, AV_PIX_FMT_RGB24, SWS_BICUBIC, null, null, (DoublePointer) null);
        if (context == null) {
            throw new IllegalStateException("swscale cannot convert pixel format " + fmt + " (" + w + "x" + h + ") to RGB24");
        }
        // keep what swscale inferred (yuvj* formats are full range) unless the frame states its range
        try (PointerPointer<IntPointer> inv = new PointerPointer<>(1); PointerPointer<IntPointer> table = new PointerPointer<>(1);
             IntPointer srcRange = new IntPointer(1); IntPointer dstRange = new IntPointer(1); IntPointer brightness = new IntPointer(1);
             IntPointer contrast = new IntPointer(1); IntPointer saturation = new IntPointer(1)) {
            boolean yuv = sws_getColorspaceDetails(context, inv, srcRange, table, dstRange, brightness, contrast, saturation) >= 0;
            if (yuv) {
                int full = rng == AVCOL_RANGE_UNSPECIFIED ? srcRange.get() : (rng == AVCOL_RANGE_JPEG ? 1 : 0);
                sws_setColorspaceDetails(context, sws_getCoefficients(effectiveMatrix(spc)), full,
                        sws_getCoefficients(AVCOL_SPC_BT470BG), 1, 0, 1 << 16, 1 << 16);
            }
        }
        if (w != width || h != height) {
            if (buffer != null) {
                buffer.deallocate();
            }
            int rowBytes = (w * 3 + 63) & ~63; // aligned rows: swscale's SIMD paths write whole blocks
            buffer = new BytePointer((long) rowBytes * h + 64);
            stride.put(0, rowBytes);
        }
        width = w;
        height = h;
        format = fmt;
        colorspace = spc;
        range = rng;
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
        if (buffer != null) {
            buffer.deallocate();
            buffer = null;
        }
        stride.deallocate();
    }
}
