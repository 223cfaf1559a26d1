package dev.vqamini.video;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * An open video file: an FFmpeg demuxer and decoder, checked against {@link VideoLimits}.
 * Every failure to open becomes a {@link VideoInputException} naming the file and the reason.
 */
public final class VideoFile implements AutoCloseable {

    static {
        FfmpegLogging.quiet();
    }

    private final Path path;
    private final FFmpegFrameGrabber grabber;
    private final VideoInfo info;
    private boolean used;

    private VideoFile(Path path, FFmpegFrameGrabber grabber, VideoInfo info) {
        this.path = path;
        this.grabber = grabber;
        this.info = info;
    }

    /** Opens {@code path} and checks it against {@code limits}. */
    public static VideoFile open(Path path, VideoLimits limits) {
        checkFile(path);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(path.toFile());
        // decoded pictures as they are: RgbConverter converts them with their own colour tags
        g.setImageMode(FrameGrabber.ImageMode.RAW);
        try {
            g.start(); // finds stream info: frame count, duration, pixel format
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g);
            throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "not a readable video: " + ffmpegReason(e.getMessage()), e);
        }
        try {
            VideoInfo info = describe(path, g);
            check(info, limits);
            return new VideoFile(path, g, info);
        } catch (RuntimeException e) {
            closeQuietly(g);
            throw e;
        }
    }

    /** Probes {@code path}: opens, reads the stream header, closes. */
    public static VideoInfo probe(Path path, VideoLimits limits) {
        try (VideoFile f = open(path, limits)) {
            return f.info();
        }
    }

    public Path path() {
        return path;
    }

    public VideoInfo info() {
        return info;
    }

    /** The grabber, positioned at the first frame; a {@link FrameReader} takes it once. */
    FFmpegFrameGrabber takeGrabber() {
        if (used) {
            throw new IllegalStateException(path + " was already read; open it again");
        }
        used = true;
        return grabber;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void checkFile(Path path) {
        if (path == null) {
            throw new VideoInputException(Path.of("<null>"), VideoInputException.Kind.UNREADABLE, "no file given");
        }
        if (!Files.exists(path)) {
            throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "not readable");
        }
        try {
            if (Files.size(path) == 0) {
                throw new VideoInputException(path, VideoInputException.Kind.EMPTY, "empty file (0 bytes)");
            }
        } catch (IOException e) {
            throw new VideoInputException(path, VideoInputException.Kind.UNREADABLE, "cannot read size: " + e.getMessage(), e);
        }
    }

    private static VideoInfo describe(Path path, FFmpegFrameGrabber g) {
        if (!g.hasVideo()) {
            throw new VideoInputException(path, VideoInputException.Kind.NOT_A_VIDEO, "no video stream");
        }
        AVStream stream = videoStream(g.getFormatContext());
        int codedW = g.getImageWidth();
        int codedH = g.getImageHeight();
        String pixFmt = "unknown";
        boolean vfr = false;
        if (stream != null) {
            AVCodecParameters par = stream.codecpar();
            if (codedW <= 0 || codedH <= 0) {
                codedW = par.width();
                codedH = par.height();
            }
            BytePointer name = avutil.av_get_pix_fmt_name(par.format());
            pixFmt = name == null ? "unknown" : name.getString();
            vfr = differ(stream.r_frame_rate(), stream.avg_frame_rate());
        }
        // javacv reports the counter-clockwise angle of the display matrix; displaying upright turns clockwise by its negative
        int rotation = FrameRotation.quarterTurns(-g.getDisplayRotation());
        boolean swap = rotation == 90 || rotation == 270;
        String codec = g.getVideoCodecName();
        if (codec == null || codec.isBlank()) {
            codec = avcodec.avcodec_get_name(g.getVideoCodec()).getString();
        }
        double fps = g.getVideoFrameRate() > 0 ? g.getVideoFrameRate() : g.getFrameRate();
        long micros = g.getLengthInTime();
        // decord's count: video packets (duration x fps, the header's estimate, is only the fallback)
        int packets = PacketCount.of(path);
        int frames = packets > 0 ? packets : Math.max(0, g.getLengthInVideoFrames());
        return new VideoInfo(path, swap ? codedH : codedW, swap ? codedW : codedH, codedW, codedH,
                Double.isFinite(fps) ? fps : 0, frames,
                micros > 0 ? micros / 1e6 : 0, codec, pixFmt, rotation, vfr);
    }

    private static void check(VideoInfo info, VideoLimits limits) {
        Path p = info.path();
        int w = info.codedWidth();
        int h = info.codedHeight();
        if (w <= 0 || h <= 0) {
            throw new VideoInputException(p, VideoInputException.Kind.UNREADABLE, "video stream has no picture size (" + w + "x" + h + ")");
        }
        if (Math.max(w, h) > limits.maxSide()) {
            throw new VideoInputException(p, VideoInputException.Kind.RESOLUTION, "picture " + w + "x" + h + " exceeds the limit of " + limits.maxSide() + " px per side");
        }
        if (Math.min(w, h) < limits.minSide()) {
            throw new VideoInputException(p, VideoInputException.Kind.RESOLUTION, "picture " + w + "x" + h + " is below the minimum of " + limits.minSide() + " px per side");
        }
        if (info.durationSeconds() > limits.maxDurationSeconds()) {
            throw new VideoInputException(p, VideoInputException.Kind.TOO_LONG, String.format("duration %.1f s exceeds the limit of %.1f s",
                    info.durationSeconds(), limits.maxDurationSeconds()));
        }
        if (info.frameCount() > limits.maxFrames()) {
            throw new VideoInputException(p, VideoInputException.Kind.TOO_LONG, "claims " + info.frameCount() + " frames, over the limit of " + limits.maxFrames());
        }
    }

    private static AVStream videoStream(AVFormatContext ctx) {
        if (ctx == null) {
            return null;
        }
        for (int i = 0; i < ctx.nb_streams(); i++) {
            AVStream s = ctx.streams(i);
            if (s.codecpar() != null && s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return s;
            }
        }
        return null;
    }

    private static boolean differ(AVRational a, AVRational b) {
        if (a == null || b == null || a.den() == 0 || b.den() == 0 || a.num() == 0 || b.num() == 0) {
            return false;
        }
        double x = avutil.av_q2d(a);
        double y = avutil.av_q2d(b);
        return Math.abs(x - y) > 0.01 * Math.max(x, y);
    }

    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-\\d+)");

    /** FFmpeg's own words for the error code in a JavaCV message (e.g. "Invalid data found when processing input"). */
    static String ffmpegReason(String message) {
        Matcher m = FFMPEG_ERROR.matcher(message == null ? "" : message);
        if (m.find()) {
            try (BytePointer buf = new BytePointer(256)) {
                if (avutil.av_strerror(Integer.parseInt(m.group(1)), buf, 256) == 0) {
                    // the C string ends at its NUL; the rest of the 256 bytes is whatever the allocation held
                    return buf.limit(BytePointer.strlen(buf)).getString();
                }
            }
        }
        return firstLine(message);
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception | Error e) {
            // releasing native resources of a broken file: nothing the caller could do
        }
    }
}
