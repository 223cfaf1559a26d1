package dev.vqamini.video.synth;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import dev.vqamini.video.FfmpegLogging;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes RGB24 frames to a video file with FFmpeg through {@link FFmpegFrameRecorder}. Refuses an encoder the
 * FFmpeg build lacks instead of letting FFmpeg fall back silently (a build without libx264 would otherwise
 * write MPEG-4 and ignore the CRF).
 */
public final class VideoWriter implements AutoCloseable {

    static {
        FfmpegLogging.quiet();
    }

    private final Path path;
    private final FFmpegFrameRecorder recorder;
    private final Frame frame;
    private final int width;
    private final int height;

    private VideoWriter(Path path, FFmpegFrameRecorder recorder, int width, int height) {
        this.path = path;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
        this.frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    }

    /** Whether this FFmpeg build has an encoder called {@code name} (e.g. libx264, libx265, libvpx-vp9, mjpeg). */
    public static boolean hasEncoder(String name) {
        return avcodec.avcodec_find_encoder_by_name(name) != null;
    }

    /** Opens a writer for {@code spec}; the container follows the file extension (mp4, mkv, webm, avi, mov). */
    public static VideoWriter open(Path path, Spec spec) throws FrameRecorder.Exception {
        if (!hasEncoder(spec.codec)) {
            throw new IllegalStateException("FFmpeg build has no encoder " + spec.codec + " (needed for " + path + ")");
        }
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(path.toFile(), spec.width, spec.height, 0);
        r.setVideoCodecName(spec.codec);
        r.setFrameRate(spec.fps);
        r.setGopSize(spec.gop);
        int pixFmt = avutil.av_get_pix_fmt(spec.pixelFormat);
        if (pixFmt < 0) {
            throw new IllegalArgumentException("unknown pixel format " + spec.pixelFormat);
        }
        r.setPixelFormat(pixFmt);
        for (Map.Entry<String, String> e : spec.options.entrySet()) {
            r.setVideoOption(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : spec.formatOptions.entrySet()) {
            r.setOption(e.getKey(), e.getValue());
        }
        if (spec.format != null) {
            r.setFormat(spec.format);
        }
        if (spec.quality > 0) {
            r.setVideoQuality(spec.quality);
        }
        if (spec.rotation != 0) {
            r.setDisplayRotation(spec.rotation);
        }
        r.start();
        return new VideoWriter(path, r, spec.width, spec.height);
    }

    /** Appends one frame, packed RGB24 {@code width x height x 3}. */
    public void write(byte[] rgb) throws FrameRecorder.Exception {
        if (rgb.length < width * height * 3) {
            throw new IllegalArgumentException("frame needs " + width * height * 3 + " bytes, got " + rgb.length);
        }
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < height; y++) {
            buf.put(y * stride, rgb, y * width * 3, width * 3);
        }
        recorder.record(frame, AV_PIX_FMT_RGB24);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws FrameRecorder.Exception {
        try {
            recorder.stop();
        } finally {
            recorder.release();
        }
    }

    /** What to encode: codec, size, rate, pixel format, encoder options. Mutable builder-style settings. */
    public static final class Spec {
        String codec = "libx264";
        int width;
        int height;
        double fps = 24;
        int gop = 48;
        String pixelFormat = "yuv420p";
        double quality = -1;
        double rotation;
        String format;
        final Map<String, String> options = new LinkedHashMap<>();
        final Map<String, String> formatOptions = new LinkedHashMap<>();

        public Spec(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /** H.264 (libx264) at {@code crf}, preset veryfast, yuv420p. */
        public static Spec h264(int width, int height, int crf) {
            return new Spec(width, height).option("crf", Integer.toString(crf)).option("preset", "veryfast");
        }

        public Spec codec(String name) {
            this.codec = name;
            return this;
        }

        public Spec fps(double f) {
            this.fps = f;
            return this;
        }

        public Spec gop(int g) {
            this.gop = g;
            return this;
        }

        public Spec pixelFormat(String name) {
            this.pixelFormat = name;
            return this;
        }

        /** Codec-specific quality (e.g. qscale for mjpeg/mpeg4); lower is better. */
        public Spec quality(double q) {
            this.quality = q;
            return this;
        }

        /** Display-matrix rotation, counter-clockwise degrees as FFmpeg's av_display_rotation_set takes them. */
        public Spec displayRotation(double degrees) {
            this.rotation = degrees;
            return this;
        }

        /** An encoder option (crf, preset, x264-params...). */
        public Spec option(String key, String value) {
            options.put(key, value);
            return this;
        }

        /** The container format, when the file extension should not decide (e.g. "mp4"). */
        public Spec format(String name) {
            this.format = name;
            return this;
        }

        /** A muxer option, e.g. movflags=+faststart. */
        public Spec formatOption(String key, String value) {
            formatOptions.put(key, value);
            return this;
        }
    }
}
