package dev.vqamini.model.onnx;

import java.util.Map;
import java.util.Set;

/**
 * What a static INT8 graph is built from: the layers to quantise, SmoothQuant's migration strength and, per
 * quantised pointwise layer (by weight key, e.g. {@code technical_backbone.stages.0.0.pwconv1}), the per-channel range of
 * its input seen in calibration.
 *
 * <p>Smoothing divides input channel c by s_c = max|x_c|^alpha / max|W_c|^(1-alpha) and multiplies the weights'
 * column c by s_c (exact algebra), so one per-tensor activation scale fits channels whose ranges differ by orders of
 * magnitude (GRN's output). The division is folded into the per-channel constants that precede each layer
 * (LayerNorm's affine for pwconv1, GRN's gamma for pwconv2): it costs nothing at run time.
 *
 * @param smoothing alpha in [0, 1]; 0 leaves activations as they are
 */
public record StaticInt8(Set<Int8Layer> layers, double smoothing, Map<String, ChannelRange> ranges) {

    public StaticInt8 {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a static INT8 graph needs at least one layer to quantise");
        }
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("smoothing alpha must be in [0, 1], got " + smoothing);
        }
        layers = Set.copyOf(layers);
        ranges = Map.copyOf(ranges);
    }

    /** Per-channel minimum and maximum of one layer's input over the calibration clips. */
    public record ChannelRange(float[] min, float[] max) {

        public ChannelRange {
            if (min.length != max.length) {
                throw new IllegalArgumentException("min has " + min.length + " channels, max " + max.length);
            }
        }

        /** The element-wise union with another range of the same layer. */
        public ChannelRange union(ChannelRange other) {
            float[] lo = min.clone();
            float[] hi = max.clone();
            for (int c = 0; c < lo.length; c++) {
                lo[c] = Math.min(lo[c], other.min[c]);
                hi[c] = Math.max(hi[c], other.max[c]);
            }
            return new ChannelRange(lo, hi);
        }

        public float absMax(int c) {
            return Math.max(Math.abs(min[c]), Math.abs(max[c]));
        }
    }

    /** The calibrated range of the layer with weight key {@code key}; an error naming it when calibration missed it. */
    public ChannelRange range(String key, int channels) {
        ChannelRange r = ranges.get(key);
        if (r == null || r.min().length != channels) {
            throw new IllegalArgumentException("INT8 calibration has no " + channels + "-channel range for layer " + key
                    + (r == null ? "" : " (it has " + r.min().length + " channels: calibrated on another architecture?)"));
        }
        return r;
    }
}
