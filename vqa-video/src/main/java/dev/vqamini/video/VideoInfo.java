package dev.vqamini.video;

import java.nio.file.Path;

/**
 * What probing a video file found.
 *
 * @param path             the file
 * @param width            display width: after applying {@code rotation}
 * @param height           display height: after applying {@code rotation}
 * @param codedWidth       width of the decoded pictures before rotation
 * @param codedHeight      height of the decoded pictures before rotation
 * @param fps              average frame rate (frames / second); for variable-frame-rate files only a hint
 * @param frameCount       frames the container promises (may be an estimate; decoding can yield fewer), 0 if unknown
 * @param durationSeconds  container duration, 0 if unknown
 * @param codec            codec name, e.g. {@code h264}
 * @param pixelFormat      the stream's pixel format, e.g. {@code yuv420p10le} (frames are converted to RGB24)
 * @param rotation         clockwise degrees (0, 90, 180, 270) the pictures are turned to display upright
 * @param variableFrameRate whether the stream's nominal and average frame rates differ
 */
public record VideoInfo(Path path, int width, int height, int codedWidth, int codedHeight, double fps, int frameCount,
                        double durationSeconds, String codec, String pixelFormat, int rotation, boolean variableFrameRate) {

    /** A one-line human summary. */
    public String describe() {
        return String.format("%dx%d%s %s %s, %.3f fps, %d frames, %.2f s%s", width, height,
                rotation != 0 ? " (rotated " + rotation + "\u00b0)" : "", codec, pixelFormat, fps, frameCount,
                durationSeconds, variableFrameRate ? ", VFR" : "");
    }
}
