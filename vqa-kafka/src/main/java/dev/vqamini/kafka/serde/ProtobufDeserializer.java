package dev.vqamini.kafka.serde;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * Kafka deserializer for one protobuf message type. A payload that does not
 * parse throws {@link RecordDecodeException} naming the topic and message type,
 * so a consumer can route it to vqa.dlq instead of guessing what broke.
 *
 * @param <T> the message type
 */
public final class ProtobufDeserializer<T extends MessageLite> implements Deserializer<T> {

    private final Parser<T> parser;
    private final String typeName;

    /**
     * @param parser   the generated parser, e.g. {@code ClipScore.parser()}
     * @param typeName the message type named in errors, e.g. {@code "vqa.v1.ClipScore"}
     */
    public ProtobufDeserializer(Parser<T> parser, String typeName) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.typeName = Objects.requireNonNull(typeName, "typeName");
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new RecordDecodeException(topic, typeName, data.length, e);
        }
    }

    /** The protobuf message type this deserializer reads. */
    public String typeName() {
        return typeName;
    }
}
