package dev.vqamini.model.onnx;

/**
 * The names of each branch graph's inputs and outputs: the contract between the graph builder, the runtime, the
 * pruning probes and any other ONNX Runtime user of a bundle.
 */
public final class GraphNames {

    /** Input: uint8 RGB clips, N x 3 x T x H x W (normalisation is the graph's first op). */
    public static final String PIXELS = "pixels";
    /** Input: float32 clips already normalised, N x 3 x T x H x W (parity tests, torch-exported graphs). */
    public static final String NORMALISED_INPUT = "input";
    /** Output: the head's score per position, N x 1 x T' x H' x W' (the clip score is its mean). */
    public static final String HEAD_MAP = "head_map";
    /** Output: the clip score, the mean of the head map, N. */
    public static final String SCORE = "score";
    /** Output: backbone features mean-pooled over positions, N x C. */
    public static final String FEATURES = "features";
    /** Output: backbone features averaged over time, N x H' x W' x C (distillation targets). */
    public static final String POSITION_FEATURES = "position_features";

    private GraphNames() {
    }

    /** The input name for {@code format}. */
    public static String input(InputFormat format) {
        return format == InputFormat.RGB_UINT8 ? PIXELS : NORMALISED_INPUT;
    }
}
