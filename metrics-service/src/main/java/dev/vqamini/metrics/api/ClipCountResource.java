package dev.vqamini.metrics.api;

import dev.vqamini.metrics.streams.ClipCountTopology;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;
import java.util.TreeMap;

/**
 * GET /clip-counts: clip scores seen per model version, read from this instance's local store
 * (with several instances each answers for the partitions it owns).
 */
@Path("/clip-counts")
public class ClipCountResource {

    private final KafkaStreams streams;

    ClipCountResource(KafkaStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> counts() {
        ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                ClipCountTopology.CLIPS_PER_MODEL_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, Long> counts = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> counts.put(kv.key, kv.value));
        }
        return counts;
    }
}
