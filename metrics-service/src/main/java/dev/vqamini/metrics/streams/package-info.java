/**
 * The Kafka Streams topology of metrics-service and its CDI producer.
 */
package dev.vqamini.metrics.streams;
