package dev.vqamini.service;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One Kafka admin client per service (topic bootstrap and readiness), closed at shutdown. */
@ApplicationScoped
public class KafkaAdminProducer {

    /** The admin client; it connects lazily, so a missing broker does not block startup. */
    @Produces
    @ApplicationScoped
    @DefaultBean
    Admin admin(KafkaClients clients, VqaConfig config) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clients.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.kafka().adminTimeout().toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, clients.clientId("admin")));
    }

    void close(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(5));
    }
}
