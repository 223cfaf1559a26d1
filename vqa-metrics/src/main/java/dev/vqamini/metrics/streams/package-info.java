/**
 * The quality topology (Kafka Streams, exactly once): first scores per video joined with MOS into windows and
 * statistics per model version, shadow pairs per candidate, refusals per version; and {@link
 * dev.vqamini.metrics.streams.QualityStore}, the queries metrics-service answers from.
 */
package dev.vqamini.metrics.streams;
