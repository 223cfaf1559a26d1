package dev.vqamini.serving;

/** A model version that failed its checks and will not serve; the reason names what was wrong. */
public final class ModelRefusedException extends Exception {

    private final String version;
    private final RefusalCheck check;

    public ModelRefusedException(String version, RefusalCheck check, String reason, Throwable cause) {
        super("model version " + version + " refused (" + check.tag() + "): " + reason, cause);
        this.version = version;
        this.check = check;
    }

    public String version() {
        return version;
    }

    /** Which check failed. */
    public RefusalCheck check() {
        return check;
    }
}
