package dev.vqamini.kafka;

/** A Kafka admin operation failed or timed out; the message says which and why. */
public final class KafkaAdminException extends RuntimeException {

    /**
     * @param message what was attempted and what went wrong
     * @param cause   the client's exception
     */
    public KafkaAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
