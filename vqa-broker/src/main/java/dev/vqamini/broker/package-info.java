/**
 * A real single-node Apache Kafka broker (KRaft) run in-process from Kafka's own jars, for tests, the demo and {@code vqa broker}.
 */
package dev.vqamini.broker;
