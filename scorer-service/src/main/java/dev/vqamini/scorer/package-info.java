/**
 * scorer-service: the wiring of vqa-serving's model registry, dynamic batcher and scoring loop to Kafka and
 * {@code vqa.scorer.*} / {@code vqa.models.*} configuration, its Micrometer meters, readiness and {@code GET /models}.
 */
package dev.vqamini.scorer;
