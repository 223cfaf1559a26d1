/** Kafka serializers and serdes for the protobuf records of {@code dev.vqamini.wire.proto}, one per topic. */
package dev.vqamini.kafka.serde;
