package dev.vqamini.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.KafkaSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's {@link KafkaClientSettings}, which every client it makes (consumers, producers, admin, readers,
 * Kafka Streams) takes its address, TLS/SASL settings and client id from. Security comes from {@code VQA_KAFKA_*}
 * environment variables, overridden by {@code kafka.*} properties with Kafka's own names
 * ({@code kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.ssl.truststore.location}...).
 * {@code vqa.kafka.group-protocol} picks the consumer groups' protocol: {@code classic} or {@code consumer} (KIP-848).
 */
@ApplicationScoped
public class KafkaClientsProducer {

    @Produces
    @Singleton
    KafkaClientSettings kafkaClientSettings(Config config,
                                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                                            @ConfigProperty(name = "quarkus.application.name") String applicationName,
                                            VqaConfig vqa) {
        Map<String, String> security = new HashMap<>(KafkaSecurity.fromEnvironmentNames(System.getenv()));
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.") && !name.equals("kafka.bootstrap.servers")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> security.put(name.substring("kafka.".length()), v));
            }
        }
        return new KafkaClientSettings(bootstrapServers, KafkaSecurity.of(security), applicationName)
                .withGroupProtocol(vqa.kafka().groupProtocol());
    }
}
