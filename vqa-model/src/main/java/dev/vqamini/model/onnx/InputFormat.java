package dev.vqamini.model.onnx;

/** What a branch graph takes as input. */
public enum InputFormat {
    /** float32 N x 3 x T x H x W, already normalised with DOVER's mean and std (what upstream feeds; for parity). */
    NORMALISED_FLOAT,
    /** uint8 RGB N x 3 x T x H x W, 0..255: what the pipeline sends; normalisation is folded into the stem conv. */
    RGB_UINT8;

    /** DOVER's per-channel pixel mean and std (ImageNet statistics on a 0..255 scale). */
    public static final double[] MEAN = {123.675, 116.28, 103.53};
    public static final double[] STD = {58.395, 57.12, 57.375};
}
