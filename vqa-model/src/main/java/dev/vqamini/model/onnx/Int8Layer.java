package dev.vqamini.model.onnx;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The layers an INT8 graph may quantise: each block's two pointwise layers (about 60 % of the FLOPs) and the stem,
 * whose input, uint8 pixels, is already exact in INT8 (no calibration, and no cast of the clip to float).
 */
public enum Int8Layer {
    PWCONV1, PWCONV2, STEM;

    /** The name in weight keys, options and metadata ("pwconv1"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses names such as {@code pwconv1}; says which exist when one does not. */
    public static Set<Int8Layer> parse(Iterable<String> names) {
        Set<Int8Layer> set = EnumSet.noneOf(Int8Layer.class);
        for (String n : names) {
            try {
                set.add(valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown INT8 layer '" + n + "'; the layers are pwconv1, pwconv2 and stem", e);
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("no INT8 layer given; the layers are pwconv1, pwconv2 and stem");
        }
        return set;
    }

    /** "pwconv1+pwconv2": how metadata and manifests name a set. */
    public static String describe(Set<Int8Layer> layers) {
        return String.join("+", layers.stream().sorted().map(Int8Layer::key).toList());
    }
}
