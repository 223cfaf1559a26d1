package dev.vqamini.service;

import dev.vqamini.kafka.KafkaClientSettings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/** One Kafka admin client per service (topic bootstrap and readiness), closed at shutdown. */
@ApplicationScoped
public class KafkaAdminProducer {

    /** The admin client; it connects lazily, so a missing broker does not block startup. */
    @Produces
    @ApplicationScoped
    @DefaultBean
    Admin admin(KafkaClientSettings clients, VqaConfig config) {
        return clients.newAdmin("admin", (int) config.kafka().adminTimeout().toMillis());
    }

    void close(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(5));
    }
}
