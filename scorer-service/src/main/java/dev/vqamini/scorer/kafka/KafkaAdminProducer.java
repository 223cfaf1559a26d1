package dev.vqamini.scorer.kafka;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;

/** One Kafka admin client for this service (topic bootstrap and readiness), closed at shutdown. */
@ApplicationScoped
public class KafkaAdminProducer {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "vqa.kafka.admin-timeout", defaultValue = "30s")
    Duration adminTimeout;

    /** The admin client; it connects lazily, so a missing broker does not block startup. */
    @Produces
    @ApplicationScoped
    @DefaultBean
    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) adminTimeout.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "scorer-service-admin"));
    }

    void close(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(5));
    }
}
