package dev.vqamini.kafka.serde;

import com.google.protobuf.MessageLite;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for any protobuf message: the record value is the message's
 * plain protobuf encoding, nothing more (no schema registry framing), so any
 * protobuf runtime can read it with the .proto files in vqa-contracts.
 *
 * @param <T> the message type
 */
public final class ProtobufSerializer<T extends MessageLite> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T message) {
        // null stays null: it is a tombstone on compacted topics.
        return message == null ? null : message.toByteArray();
    }
}
