package dev.vqamini.video;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes the requested frames of a video in one forward pass: frames in between are decoded but not
 * converted to RGB (the conversion costs as much as decoding), and a gap longer than {@code seekGap} frames is
 * skipped with a seek (20-180 ms each, so only worth it for long gaps). Frame indices count pictures in decode
 * (presentation) order, as upstream's decord does, so variable-frame-rate files need no timestamps; seeking,
 * which works on timestamps, is therefore off for them.
 */
public final class FrameReader {

    /** Default gap (frames) beyond which a seek beats decoding through; measured on 1080p H.264. */
    public static final int DEFAULT_SEEK_GAP = 96;

    private final int seekGap;

    public FrameReader(int seekGap) {
        this.seekGap = seekGap;
    }

    public FrameReader() {
        this(DEFAULT_SEEK_GAP);
    }

    /**
     * Reads the frames at {@code indices} (any order, duplicates allowed) and hands each to {@code consumer} once,
     * upright, in increasing index order. A stream that ends or breaks early is not an error here: the result
     * says how many frames it had.
     */
    public DecodeResult read(VideoFile file, int[] indices, FrameConsumer consumer) {
        int[] wanted = Arrays.stream(indices).distinct().sorted().toArray();
        if (wanted.length > 0 && wanted[0] < 0) {
            throw new IllegalArgumentException("negative frame index " + wanted[0]);
        }
        Path path = file.path();
        VideoInfo info = file.info();
        FFmpegFrameGrabber g = file.takeGrabber();
        boolean canSeek = seekGap > 0 && !info.variableFrameRate() && info.frameCount() > 0;
        byte[] rgb = new byte[0];
        byte[] turned = new byte[0];
        int pos = 0; // index of the next frame the grabber will return
        int next = 0;
        int seeks = 0;
        boolean ended = false;
        try (RgbConverter converter = new RgbConverter()) {
            while (next < wanted.length) {
                int target = wanted[next];
                if (canSeek && target - pos > seekGap && target < info.frameCount()) {
                    try {
                        g.setVideoFrameNumber(target);
                        pos = target;
                        seeks++;
                    } catch (FrameGrabber.Exception | RuntimeException e) {
                        canSeek = false; // fall back to decoding through
                    }
                }
                boolean want = pos == target;
                Frame f;
                try {
                    f = g.grabFrame(false, true, want, false, false);
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    f = null; // damaged stream: what we have so far is what the file holds
                }
                if (f == null) {
                    ended = true;
                    break;
                }
                if (want) {
                    if (!(f.opaque instanceof AVFrame picture) || picture.width() <= 0 || picture.height() <= 0) {
                        throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "decoder returned no picture for frame " + pos);
                    }
                    int w = picture.width();
                    int h = picture.height();
                    if (rgb.length != w * h * 3) {
                        rgb = new byte[w * h * 3];
                        turned = new byte[info.rotation() == 0 ? 0 : w * h * 3];
                    }
                    converter.convert(picture, rgb);
                    RgbFrame frame = FrameRotation.rotate(new RgbFrame(w, h, rgb), info.rotation(), turned);
                    consumer.accept(pos, frame);
                    next++;
                }
                pos++;
            }
        }
        return new DecodeResult(pos, next, ended, seeks);
    }

    /** Counts the frames the stream really delivers (decoding, no RGB conversion). */
    public static int countFrames(VideoFile file, int limit) {
        FFmpegFrameGrabber g = file.takeGrabber();
        int n = 0;
        while (true) {
            Frame f;
            try {
                f = g.grabFrame(false, true, false, false, false);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                f = null;
            }
            if (f == null) {
                return n;
            }
            if (++n > limit) {
                throw new VideoInputException(file.path(), VideoInputException.Kind.TOO_LONG, "more than " + limit + " frames, over the limit");
            }
        }
    }
}
