package dev.vqamini.video;

/** Receives the decoded frames a {@link FrameReader} was asked for, in increasing index order. */
@FunctionalInterface
public interface FrameConsumer {

    /**
     * @param index the frame's position in decode order (0-based), the index the samplers use
     * @param frame the upright RGB picture; only valid during this call (its buffer is reused)
     */
    void accept(int index, RgbFrame frame);
}
