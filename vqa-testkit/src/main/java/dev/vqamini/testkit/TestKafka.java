package dev.vqamini.testkit;

/**
 * The Kafka broker a test runs against.
 *
 * @param bootstrapServers {@code host:port} for {@code bootstrap.servers}
 * @param kind             {@code "testcontainers"} (apache/kafka image) or {@code "in-process"} (LocalKafkaBroker)
 */
public record TestKafka(String bootstrapServers, String kind) {
}
