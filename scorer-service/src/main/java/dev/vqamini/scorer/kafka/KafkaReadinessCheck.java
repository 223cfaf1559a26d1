package dev.vqamini.scorer.kafka;

import dev.vqamini.wire.BrokerProbe;
import dev.vqamini.wire.TopicBootstrapReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Optional;

/** Ready only when the Kafka broker answers and the catalog's topics exist. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "vqa.kafka.health-timeout", defaultValue = "3s")
    Duration timeout;

    private final Admin admin;
    private final TopicsAtStartup topics;

    KafkaReadinessCheck(Admin admin, TopicsAtStartup topics) {
        this.admin = admin;
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrap.servers", bootstrapServers);
        try {
            BrokerProbe.ClusterInfo cluster = BrokerProbe.probe(admin, timeout);
            response.withData("cluster.id", cluster.clusterId()).withData("brokers", cluster.brokers());
            Optional<TopicBootstrapReport> report = topics.ensure();
            report.ifPresent(r -> response.withData("topics", r.summary()));
            return response.up().build();
        } catch (RuntimeException e) {
            return response.withData("error", String.valueOf(e.getMessage())).down().build();
        }
    }
}
