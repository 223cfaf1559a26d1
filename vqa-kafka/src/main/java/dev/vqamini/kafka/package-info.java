/**
 * Kafka plumbing every process shares: {@link dev.vqamini.kafka.KafkaClientSettings}, the one factory of client
 * settings (address, TLS/SASL via {@link dev.vqamini.kafka.KafkaSecurity}, client ids) for every producer, consumer,
 * admin client, Kafka Streams app and CLI command; the full-topic reader and follower; the topic bootstrap; and the
 * at-least-once consumer parts (pending offsets, acknowledged sends).
 */
package dev.vqamini.kafka;
