package dev.vqamini.video;

/**
 * What one forward pass of a {@link FrameReader} did.
 *
 * @param framesSeen  frames the stream delivered up to where reading stopped (the true frame count when {@code reachedEnd})
 * @param delivered   requested frames handed to the consumer
 * @param reachedEnd  whether the stream ended (or broke) before every requested frame was found
 * @param seeks       seeks made to skip long gaps
 */
public record DecodeResult(int framesSeen, int delivered, boolean reachedEnd, int seeks) {
}
