package dev.vqamini.metrics.streams;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Kafka Streams topology: counts clip scores per model version from vqa.clip-scores into a
 * queryable, changelog-backed store. It is the starting point that video-score assembly and
 * SRCC-by-version build on; Quarkus runs it because {@link TopologyProducer} exposes it.
 */
public final class ClipCountTopology {

    /** Store name: model version -> number of clip scores seen. */
    public static final String CLIPS_PER_MODEL_STORE = "clip-scores-per-model";

    private ClipCountTopology() {
    }

    /** Builds the topology (pure: no broker needed, so TopologyTestDriver can run it). */
    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(TopicCatalog.CLIP_SCORES.name(), Consumed.with(Serdes.String(), WireSerdes.clipScores()))
                // Re-key by model version: the count is per version, whatever video it scored.
                .groupBy((videoId, score) -> score.getModelVersion(), Grouped.with(Serdes.String(), WireSerdes.clipScores()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(CLIPS_PER_MODEL_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()));
        return builder.build();
    }

}
