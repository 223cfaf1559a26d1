package dev.vqamini.wire;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicCatalogTest {

    @Test
    void namesTheDesignTopics() {
        List<String> names = TopicCatalog.all().stream().map(TopicSpec::name).toList();
        // The design's topics, plus vqa.upload-status: upload status kept in Kafka so it survives any ingest instance.
        assertEquals(List.of("vqa.uploads", "vqa.upload-status", "vqa.fragments", "vqa.clip-scores", "vqa.video-scores", "vqa.labels",
                "vqa.models", "vqa.rollouts", "vqa.rollout-decisions", "vqa.dlq"), names);
        assertEquals(names.size(), new HashSet<>(names).size(), "topic names are unique");
    }

    @Test
    void largeTopicsAccept16MiB() {
        assertEquals(16 * 1024 * 1024, TopicCatalog.FRAGMENTS.maxMessageBytes());
        assertEquals(16 * 1024 * 1024, TopicCatalog.MODELS.maxMessageBytes());
        // A full clip 1x3x32x224x224 must fit in a fragments record.
        assertTrue(3 * 32 * 224 * 224 < TopicCatalog.FRAGMENTS.maxMessageBytes());
    }

    @Test
    void stateTopicsAreCompacted() {
        Set<String> compacted = new HashSet<>();
        for (TopicSpec t : TopicCatalog.all()) {
            if (TopicSpec.COMPACT.equals(t.cleanupPolicy())) {
                compacted.add(t.name());
            }
        }
        assertEquals(Set.of("vqa.upload-status", "vqa.labels", "vqa.models", "vqa.rollouts"), compacted);
    }

    @Test
    void modelChunkKeysDifferPerChunk() {
        assertEquals("v2/0", TopicCatalog.modelChunkKey("v2", 0));
        assertTrue(!TopicCatalog.modelChunkKey("v2", 0).equals(TopicCatalog.modelChunkKey("v2", 1)));
    }

    @Test
    void lookupByName() {
        assertEquals(TopicCatalog.DLQ, TopicCatalog.byName("vqa.dlq").orElseThrow());
        assertTrue(TopicCatalog.byName("vqa.nope").isEmpty());
    }
}
