package dev.vqamini.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s/strimzi/kafka-topics.yaml says what the topic catalog says: one KafkaTopic per catalog topic, with its
 * partitions, cleanup policy, retention and record size, replicated three times with min.insync.replicas 2.
 */
class StrimziTopicsTest {

    private static final Path TOPICS = Path.of("..", "deploy", "k8s", "strimzi", "kafka-topics.yaml");

    @Test
    @SuppressWarnings("unchecked")
    void everyCatalogTopicAndNothingElseWithItsSettingsReplicatedThreeTimes() throws Exception {
        Map<String, Map<String, Object>> specs = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(TOPICS)) {
            for (Object doc : new Yaml().loadAll(in)) {
                Map<String, Object> resource = (Map<String, Object>) doc;
                assertEquals("KafkaTopic", resource.get("kind"));
                Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) resource.get("metadata")).get("labels");
                assertEquals("vqa", labels.get("strimzi.io/cluster"), "the topic operator of cluster vqa owns it");
                Map<String, Object> spec = (Map<String, Object>) resource.get("spec");
                specs.put((String) spec.get("topicName"), spec);
            }
        }
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        for (TopicSpec t : TopicCatalog.all()) {
            Map<String, Object> config = new LinkedHashMap<>(t.configs());
            config.put("min.insync.replicas", "2");
            expected.put(t.name(), Map.of("topicName", t.name(), "partitions", String.valueOf(t.partitions()), "replicas", "3",
                    "config", config));
        }
        Map<String, Map<String, Object>> actual = new TreeMap<>();
        specs.forEach((name, spec) -> {
            Map<String, Object> config = new LinkedHashMap<>();
            ((Map<String, Object>) spec.get("config")).forEach((k, v) -> config.put(k, String.valueOf(v)));
            actual.put(name, Map.of("topicName", spec.get("topicName"), "partitions", String.valueOf(spec.get("partitions")),
                    "replicas", String.valueOf(spec.get("replicas")), "config", config));
        });
        assertEquals(expected, actual);
    }
}
