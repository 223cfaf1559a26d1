package dev.vqamini.cli;

import dev.vqamini.kafka.KafkaClientSettings;
import picocli.CommandLine.Option;

/**
 * {@code --kafka HOST:PORT} for commands that talk to Kafka: default {@code $VQA_KAFKA}, else localhost:9092, like the
 * services; TLS/SASL from the same {@code VQA_KAFKA_*} variables the services read.
 */
public final class KafkaOption {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:VQA_KAFKA:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $VQA_KAFKA, else localhost:9092; now ${DEFAULT-VALUE}).")
    String servers;

    public String servers() {
        return servers;
    }

    /** Every Kafka client this command makes takes its settings from here. */
    public KafkaClientSettings settings() {
        return KafkaClientSettings.fromEnvironment(servers, "vqa-cli", System.getenv());
    }
}
