package dev.vqamini.kafka.serde;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one protobuf message type (producers, consumers and Kafka Streams).
 *
 * @param <T> the message type
 */
public final class ProtobufSerde<T extends Message> implements Serde<T> {

    private final ProtobufSerializer<T> serializer = new ProtobufSerializer<>();
    private final ProtobufDeserializer<T> deserializer;

    private ProtobufSerde(Parser<T> parser, String typeName) {
        this.deserializer = new ProtobufDeserializer<>(parser, typeName);
    }

    /**
     * A serde for the type of {@code defaultInstance}, e.g. {@code ProtobufSerde.of(ClipScore.getDefaultInstance())}.
     *
     * @param defaultInstance the generated default instance of the message type
     * @param <T>             the message type
     * @return a serde whose errors name the message's full protobuf name
     */
    @SuppressWarnings("unchecked")
    public static <T extends Message> ProtobufSerde<T> of(T defaultInstance) {
        return new ProtobufSerde<>((Parser<T>) defaultInstance.getParserForType(),
                defaultInstance.getDescriptorForType().getFullName());
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /** The full protobuf name of the message type, e.g. {@code vqa.v1.ClipScore}. */
    public String typeName() {
        return deserializer.typeName();
    }
}
