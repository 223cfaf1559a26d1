package dev.vqamini.broker;

/** The in-process Kafka broker could not start; the message says where and why. */
public final class BrokerStartException extends RuntimeException {

    /**
     * @param message what was attempted and what went wrong
     * @param cause   Kafka's exception
     */
    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
