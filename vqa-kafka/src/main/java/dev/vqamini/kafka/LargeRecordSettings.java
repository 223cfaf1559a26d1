package dev.vqamini.kafka;

import dev.vqamini.wire.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;

/**
 * Client settings for topics that carry records up to {@link TopicCatalog#LARGE_MESSAGE_BYTES}
 * (vqa.fragments, vqa.models, vqa.dlq). With client defaults a 5 MiB fragment is refused by the
 * producer (max.request.size 1 MiB) before it reaches the broker.
 */
public final class LargeRecordSettings {

    private LargeRecordSettings() {
    }

    /** Producer configs: 16 MiB requests, zstd compression (pixels of natural video compress well). */
    public static Map<String, Object> producer() {
        return Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalog.LARGE_MESSAGE_BYTES,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                // Large records need room in the accumulator; 64 MiB holds a few clips in flight.
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    }

    /** Consumer configs: fetch one whole large record per partition in one round trip. */
    public static Map<String, Object> consumer() {
        return Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicCatalog.LARGE_MESSAGE_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * TopicCatalog.LARGE_MESSAGE_BYTES);
    }
}
