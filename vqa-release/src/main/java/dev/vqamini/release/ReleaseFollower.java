package dev.vqamini.release;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.TopicFollower;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import java.util.function.Consumer;

/**
 * Follows what is released: every chunk on vqa.models and every rollout on vqa.rollouts, from the beginning and then
 * as they come, each on a thread of its own. Tombstones are skipped; a record that does not decode, or that the
 * listener refuses, goes to {@code problems} and following goes on.
 */
public final class ReleaseFollower implements AutoCloseable {

    /** What a follower is told. Called from the follower threads. */
    public interface Listener {
        void chunk(ModelChunk chunk);

        void rollout(Rollout rollout);
    }

    private final TopicFollower<ModelChunk> models;
    private final TopicFollower<Rollout> rollouts;

    private ReleaseFollower(KafkaClientSettings kafka, Listener listener, Consumer<String> problems) {
        models = new TopicFollower<>(kafka.consumer("models"), TopicCatalog.MODELS.name(), WireSerdes.models().deserializer(),
                (key, c) -> {
                    if (c != null) {
                        listener.chunk(c);
                    }
                }, p -> problems.accept(TopicCatalog.MODELS.name() + ": " + p));
        rollouts = new TopicFollower<>(kafka.consumer("rollouts"), TopicCatalog.ROLLOUTS.name(),
                WireSerdes.rollouts().deserializer(), (key, r) -> {
                    if (r != null) {
                        listener.rollout(r);
                    }
                }, p -> problems.accept(TopicCatalog.ROLLOUTS.name() + ": " + p));
    }

    /** Starts following both topics. */
    public static ReleaseFollower start(KafkaClientSettings kafka, Listener listener, Consumer<String> problems) {
        ReleaseFollower f = new ReleaseFollower(kafka, listener, problems);
        f.models.start();
        f.rollouts.start();
        return f;
    }

    @Override
    public void close() throws InterruptedException {
        models.close();
        rollouts.close();
    }
}
