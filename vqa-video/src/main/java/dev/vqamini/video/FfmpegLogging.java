package dev.vqamini.video;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * Keeps FFmpeg's native logging quiet (it prints every damaged packet and encoder statistics to stderr); our
 * exceptions carry the reasons that matter. Set {@code VQA_FFMPEG_LOG=1} to keep FFmpeg's warnings.
 */
public final class FfmpegLogging {

    private static volatile boolean done;

    private FfmpegLogging() {
    }

    /** Applies the log level once per JVM. */
    public static void quiet() {
        if (!done) {
            synchronized (FfmpegLogging.class) {
                if (!done) {
                    avutil.av_log_set_level(System.getenv("VQA_FFMPEG_LOG") != null ? avutil.AV_LOG_WARNING : avutil.AV_LOG_FATAL);
                    done = true;
                }
            }
        }
    }
}
