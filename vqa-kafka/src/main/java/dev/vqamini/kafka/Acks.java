package dev.vqamini.kafka;

import com.google.protobuf.MessageLite;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends a protobuf record and hands back its acknowledgement as a future, for code that commits only after acks. */
public final class Acks {

    private Acks() {
    }

    public static CompletableFuture<Void> send(Producer<String, byte[]> producer, String topic, String key, MessageLite value) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, value.toByteArray()), (md, e) -> {
            if (e == null) {
                ack.complete(null);
            } else {
                ack.completeExceptionally(e);
            }
        });
        return ack;
    }
}
