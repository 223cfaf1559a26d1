package dev.vqamini.video;

/**
 * One decoded picture as packed RGB24, rows top to bottom, no padding: {@code data[(y*width + x)*3 + c]}.
 * Frames handed to a {@link FrameConsumer} may share a buffer that the next frame overwrites.
 */
public record RgbFrame(int width, int height, byte[] data) {

    public RgbFrame {
        if (width <= 0 || height <= 0 || data.length < width * height * 3) {
            throw new IllegalArgumentException("RgbFrame " + width + "x" + height + " needs " + width * height * 3
                    + " bytes, got " + data.length);
        }
    }

    /** The value 0..255 of channel {@code c} at ({@code y}, {@code x}). */
    public int get(int y, int x, int c) {
        return data[(y * width + x) * 3 + c] & 0xFF;
    }
}
