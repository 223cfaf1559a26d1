package dev.vqamini.model.weights;

/** A weights file that cannot be used: wrong format, truncated, refused content, missing or misshapen keys. */
public class WeightFileException extends RuntimeException {

    public WeightFileException(String message) {
        super(message);
    }

    public WeightFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
