package dev.vqamini.cli;

import picocli.CommandLine.Option;

/** {@code --kafka HOST:PORT} for commands that talk to Kafka: default {@code $VQA_KAFKA}, else localhost:9092, like the services. */
public final class KafkaOption {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:VQA_KAFKA:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $VQA_KAFKA, else localhost:9092; now ${DEFAULT-VALUE}).")
    String servers;

    public String servers() {
        return servers;
    }
}
