package dev.vqamini.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one Kafka topic must look like: the settings {@link TopicBootstrap} creates and checks.
 *
 * @param name            topic name
 * @param partitions      partition count (the unit of consumer parallelism)
 * @param cleanupPolicy   {@code delete} or {@code compact}
 * @param retentionMs     retention.ms; -1 keeps records forever (compacted topics)
 * @param maxMessageBytes max.message.bytes: the largest record batch the topic accepts
 * @param keyDescription  what the record key is, for people reading the catalog
 * @param valueType       the protobuf message type of the record value
 */
public record TopicSpec(String name, int partitions, String cleanupPolicy, long retentionMs,
                        int maxMessageBytes, String keyDescription, String valueType) {

    /** cleanup.policy value for topics that keep the newest record per key. */
    public static final String COMPACT = "compact";
    /** cleanup.policy value for topics that drop records after retention.ms. */
    public static final String DELETE = "delete";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (!COMPACT.equals(cleanupPolicy) && !DELETE.equals(cleanupPolicy)) {
            throw new IllegalArgumentException("topic " + name + ": cleanup policy must be compact or delete, got " + cleanupPolicy);
        }
    }

    /** The topic-level configs this spec sets, as Kafka config names to values. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy);
        configs.put("retention.ms", Long.toString(retentionMs));
        configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        return configs;
    }
}
