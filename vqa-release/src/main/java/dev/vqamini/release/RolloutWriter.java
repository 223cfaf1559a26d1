package dev.vqamini.release;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicReader;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.Rollout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one way rollouts change: read the model's current rollout from vqa.rollouts, apply a {@link RolloutEdits.Edit},
 * check that every version it names is complete on vqa.models, write it back (acks=all), and read it back. Nothing
 * is ever overwritten blindly: an edit starts from what is there, and a concurrent writer is detected by the
 * revision number.
 */
public final class RolloutWriter {

    private final KafkaClientSettings kafka;
    private final TopicReader reader;

    public RolloutWriter(KafkaClientSettings kafka) {
        this.kafka = kafka;
        this.reader = kafka.topicReader("rollout-writer");
    }

    /** The model's rollout now on vqa.rollouts. */
    public Optional<Rollout> current(String modelName) {
        return Optional.ofNullable(all().get(modelName));
    }

    /** Every model's current rollout, by model name. */
    public Map<String, Rollout> all() {
        Map<String, Rollout> latest = new HashMap<>();
        reader.readToEnd(TopicCatalog.ROLLOUTS.name(), WireSerdes.rollouts().deserializer(), (key, r) -> {
            if (r == null) {
                latest.remove(key);
            } else {
                latest.put(key, r);
            }
        });
        return latest;
    }

    /** Versions whose every chunk is on vqa.models (so a scorer can assemble them). */
    public Set<String> publishedVersions() {
        Map<String, Set<Integer>> have = new HashMap<>();
        Map<String, Integer> need = new HashMap<>();
        reader.readToEnd(TopicCatalog.MODELS.name(), WireSerdes.models().deserializer(), (key, c) -> {
            if (c != null) {
                have.computeIfAbsent(c.getModelVersion(), v -> new HashSet<>()).add(c.getChunkIndex());
                need.put(c.getModelVersion(), c.getChunkCount());
            }
        });
        Set<String> complete = new HashSet<>();
        have.forEach((v, idx) -> {
            if (idx.size() == need.get(v)) {
                complete.add(v);
            }
        });
        return complete;
    }

    /**
     * Applies {@code edit} to the model's rollout and writes the result.
     *
     * @return the rollout as written
     * @throws IllegalArgumentException when the edit or its result is invalid (nothing is written)
     * @throws IllegalStateException    when another writer changed the rollout meanwhile (ours may be lost: retry)
     */
    public Rollout apply(String modelName, RolloutEdits.Edit edit) throws InterruptedException {
        Optional<Rollout> before = current(modelName);
        Rollout next = edit.apply(modelName, before).toBuilder()
                .setModelName(modelName)
                .setRevision(before.map(Rollout::getRevision).orElse(0L) + 1)
                .setUpdatedAtMs(System.currentTimeMillis()).build();
        RolloutEdits.validate(next, publishedVersions());
        try (KafkaProducer<String, Rollout> producer = new KafkaProducer<>(kafka.producer("rollout-writer"), new StringSerializer(),
                WireSerdes.rollouts().serializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.ROLLOUTS.name(), modelName, next)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write the rollout of " + modelName + ": " + e.getCause().getMessage(), e);
        }
        Rollout after = current(modelName).orElseThrow();
        if (!after.equals(next)) {
            throw new IllegalStateException("rollout of " + modelName + " was changed by another writer at the same time"
                    + " (revision " + after.getRevision() + "): read it again and retry");
        }
        return next;
    }
}
