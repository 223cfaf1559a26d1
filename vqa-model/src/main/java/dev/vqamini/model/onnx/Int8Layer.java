package dev.vqamini.model.onnx;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The layers of each block an INT8 graph may quantise: the two pointwise layers, about 60 % of the FLOPs. */
public enum Int8Layer {
    PWCONV1, PWCONV2;

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
                throw new IllegalArgumentException("unknown INT8 layer '" + n + "'; the layers are pwconv1 and pwconv2", e);
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("no INT8 layer given; the layers are pwconv1 and pwconv2");
        }
        return set;
    }

    /** "pwconv1+pwconv2": how metadata and manifests name a set. */
    public static String describe(Set<Int8Layer> layers) {
        return String.join("+", layers.stream().sorted().map(Int8Layer::key).toList());
    }
}
