package dev.vqamini.serving;

/** A model version that failed its checks and will not serve; the reason names what was wrong. */
public final class ModelRefusedException extends Exception {

    private final String version;
    private final String check;

    public ModelRefusedException(String version, String check, String reason, Throwable cause) {
        super("model version " + version + " refused (" + check + "): " + reason, cause);
        this.version = version;
        this.check = check;
    }

    public String version() {
        return version;
    }

    /** Which check failed: chunks, bundle, onnx, signature, probe. */
    public String check() {
        return check;
    }
}
