/**
 * REST endpoints of metrics-service (answers from the Kafka Streams state stores).
 */
package dev.vqamini.metrics.api;
