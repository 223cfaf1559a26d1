package dev.vqamini.clips;

/** The two views DOVER scores: low-level technical fragments and the resized aesthetic view. */
public enum View {
    TECHNICAL("technical"),
    AESTHETIC("aesthetic");

    private final String key;

    View(String key) {
        this.key = key;
    }

    /** The lower-case name used in state_dict prefixes, file names, JSON and Kafka records. */
    public String key() {
        return key;
    }
}
