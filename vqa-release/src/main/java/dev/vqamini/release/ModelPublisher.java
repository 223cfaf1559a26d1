package dev.vqamini.release;

import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.ModelChunk;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.ArrayList;

/**
 * Publishes a model bundle archive on vqa.models as checksummed chunks, keyed so that compaction keeps the
 * latest copy of every chunk of every version, and waits until the broker has acknowledged all of them.
 */
public final class ModelPublisher {

    private ModelPublisher() {
    }

    /** Publishes {@code archive} with a producer of its own; returns how many chunks were sent. */
    public static int publish(KafkaClientSettings kafka, String modelName, String version, byte[] archive)
            throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, ModelChunk> producer = new KafkaProducer<>(kafka.largeRecordProducer("models"),
                new StringSerializer(), WireSerdes.models().serializer())) {
            return publish(producer, modelName, version, archive);
        }
    }

    /** Sends every chunk and waits for all acknowledgements; returns how many chunks were sent. */
    public static int publish(Producer<String, ModelChunk> producer, String modelName, String version, byte[] archive)
            throws InterruptedException, ExecutionException {
        List<ModelChunk> chunks = BundleChunks.split(modelName, version, archive);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ModelChunk c : chunks) {
            acks.add(producer.send(new ProducerRecord<>(TopicCatalog.MODELS.name(),
                    TopicCatalog.modelChunkKey(version, c.getChunkIndex()), c)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        return chunks.size();
    }
}
