/**
 * metrics-service's wiring: the Kafka Streams app around the quality topology ({@code vqa-metrics}), its store and
 * gauges as beans, the rollout controller's lifecycle, and {@code vqa.metrics.*} / {@code vqa.rollout.controller.*}
 * configuration. The endpoints are in {@code dev.vqamini.metrics.api}.
 */
package dev.vqamini.metrics.service;
