package dev.vqamini.video;

import dev.vqamini.video.synth.VideoWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Small real videos for tests, encoded with FFmpeg: frame f is flat grey at {@link #level(int)} with a pure red
 * marker over its top-left quadrant, so a decoded frame tells its index (blue channel median) and its orientation
 * (where the red is).
 */
public final class TestVideos {

    private TestVideos() {
    }

    /** Grey level of frame f: 40 + 3 f (frames 0..71; away from 16, where limited-range video clips). */
    public static int level(int f) {
        return 40 + 3 * (f % 72);
    }

    /** The frame index a decoded frame shows, from the median blue value (the marker has none). */
    public static int index(RgbFrame frame) {
        int[] blue = new int[frame.width() * frame.height()];
        for (int i = 0; i < blue.length; i++) {
            blue[i] = frame.data()[i * 3 + 2] & 0xFF;
        }
        Arrays.sort(blue);
        return Math.round((blue[blue.length / 2] - 40) / 3f);
    }

    /** The RGB24 content of frame f at w x h. */
    public static byte[] frame(int f, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        int v = level(f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                boolean marker = y < h / 2 && x < w / 2;
                rgb[i] = (byte) (marker ? 255 : v);
                rgb[i + 1] = (byte) (marker ? 0 : v);
                rgb[i + 2] = (byte) (marker ? 0 : v);
            }
        }
        return rgb;
    }

    /** Writes {@code frames} test frames with {@code spec} (whose size must be w x h). */
    public static Path write(Path file, VideoWriter.Spec spec, int w, int h, int frames) throws Exception {
        try (VideoWriter writer = VideoWriter.open(file, spec)) {
            for (int f = 0; f < frames; f++) {
                writer.write(frame(f, w, h));
            }
        }
        return file;
    }

    /**
     * Encodes test frames with the {@code ffmpeg} program bundled in the FFmpeg jar, fed raw RGB on stdin. Used where
     * {@link org.bytedeco.javacv.FFmpegFrameRecorder} cannot go: it rounds odd sizes up to even ones.
     */
    public static Path writeWithFfmpegProgram(Path file, int w, int h, int frames, String... encoderArgs) throws Exception {
        String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error",
                "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", w + "x" + h, "-r", "24", "-i", "-"));
        cmd.addAll(List.of(encoderArgs));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            for (int f = 0; f < frames; f++) {
                in.write(frame(f, w, h));
            }
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed for " + file + ": " + log);
        }
        return file;
    }

    /** An H.264 test video. */
    public static Path h264(Path file, int w, int h, int frames) throws Exception {
        return write(file, VideoWriter.Spec.h264(w, h, 18).gop(12), w, h, frames);
    }
}
