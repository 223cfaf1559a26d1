package dev.vqamini.metrics.streams;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireSerdes;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.ViewKind;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClipCountTopologyTest {

    @Test
    void countsClipScoresPerModelVersion() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "clip-count-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(ClipCountTopology.build(), props)) {
            TestInputTopic<String, ClipScore> in = driver.createInputTopic(TopicCatalog.CLIP_SCORES.name(),
                    new StringSerializer(), WireSerdes.clipScores().serializer());
            in.pipeInput("vid-1", score("vid-1", "v1", 0));
            in.pipeInput("vid-1", score("vid-1", "v1", 1));
            in.pipeInput("vid-2", score("vid-2", "v2-pruned", 0));
            in.pipeInput("vid-3", score("vid-3", "v1", 0));

            KeyValueStore<String, ValueAndTimestamp<Long>> store =
                    driver.getTimestampedKeyValueStore(ClipCountTopology.CLIPS_PER_MODEL_STORE);
            assertEquals(3L, store.get("v1").value());
            assertEquals(1L, store.get("v2-pruned").value());
            assertNull(store.get("v3"));
        }
    }

    private static ClipScore score(String id, String version, int clip) {
        return ClipScore.newBuilder().setVideoId(id).setModelVersion(version).setView(ViewKind.VIEW_KIND_TECHNICAL)
                .setClipIndex(clip).setClipCount(2).setRawScore(0.5).build();
    }
}
