package dev.vqamini.clips;

import java.util.Objects;

/**
 * Sampled clips of one view of one video, as the model consumes them: raw RGB uint8 pixels in
 * N x 3 x T x H x W order (clip-major, then channel, frame, row, column). The ONNX graph normalises them.
 *
 * @param view          which view these clips are
 * @param clips         N, the number of clips
 * @param frames        T, frames per clip
 * @param height        H
 * @param width         W
 * @param pixels        N*3*T*H*W bytes, unsigned values 0..255
 * @param frameIndices  per clip, the source frame index of each of its T frames
 */
public record ViewClips(View view, int clips, int frames, int height, int width, byte[] pixels, int[][] frameIndices) {

    public ViewClips {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(pixels, "pixels");
        long expected = (long) clips * 3 * frames * height * width;
        if (clips <= 0 || frames <= 0 || height <= 0 || width <= 0 || pixels.length != expected) {
            throw new IllegalArgumentException("ViewClips " + view.key() + ": " + clips + " x 3 x " + frames + " x " + height
                    + " x " + width + " needs " + expected + " bytes, got " + pixels.length);
        }
        if (frameIndices == null || frameIndices.length != clips) {
            throw new IllegalArgumentException("ViewClips " + view.key() + ": need frame indices for each of " + clips + " clips");
        }
    }

    /** Bytes of one clip (3 x T x H x W). */
    public int clipBytes() {
        return 3 * frames * height * width;
    }
}
