package dev.vqamini.model.runtime;

import java.util.Locale;

/** The kind of device a session runs on, as ONNX Runtime was asked and agreed (the provider string says which one). */
public enum Device {
    CPU, CUDA;

    /** Lower case, for metric tags. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
