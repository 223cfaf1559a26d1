package dev.vqamini.kafka.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record value that is not a valid encoding of the message type its topic carries. */
public final class RecordDecodeException extends SerializationException {

    private final String topic;
    private final String typeName;

    /**
     * @param topic    the topic the bytes came from (may be null when unknown)
     * @param typeName the protobuf message type that was expected
     * @param length   how many bytes the payload had
     * @param cause    the parser's error
     */
    public RecordDecodeException(String topic, String typeName, int length, Throwable cause) {
        super("cannot decode a " + length + "-byte record from topic '" + topic + "' as " + typeName
                + ": " + cause.getMessage(), cause);
        this.topic = topic;
        this.typeName = typeName;
    }

    /** The topic the bad record came from. */
    public String topic() {
        return topic;
    }

    /** The protobuf message type that was expected. */
    public String typeName() {
        return typeName;
    }
}
