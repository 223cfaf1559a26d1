package dev.vqamini.bundle;

import java.util.List;
import java.util.Map;

/**
 * How a version's graphs were quantised (absent from the manifest of an fp32 version). The weights file stays the
 * fp32 source of truth; only the serving graphs are INT8.
 *
 * @param scheme            {@link #STATIC_INT8}
 * @param layers            the quantised layers of every block ("pwconv1", "pwconv2")
 * @param smoothing         SmoothQuant's alpha (0: none)
 * @param sourceVersion     the fp32 version quantised
 * @param calibrationVideos videos whose views calibrated the activation ranges
 * @param calibrationClips  clips run in calibration, both views
 * @param calibrationDigest sha256 over the calibration videos' ids, one per line
 * @param gate              the accuracy gate as measured against the fp32 version (srcc, maxAbsFusedDiff, videos...)
 */
public record Quantization(String scheme, List<String> layers, double smoothing, String sourceVersion,
                           int calibrationVideos, int calibrationClips, String calibrationDigest, Map<String, Object> gate) {

    /** uint8 activations with calibrated per-tensor scales, int8 weights symmetric per output channel, QDQ graphs. */
    public static final String STATIC_INT8 = "int8-static-qdq";

    public Quantization {
        layers = List.copyOf(layers);
        gate = gate == null ? Map.of() : Map.copyOf(gate);
    }
}
