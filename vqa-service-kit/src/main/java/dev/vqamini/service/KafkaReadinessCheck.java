package dev.vqamini.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.BrokerProbe;
import dev.vqamini.kafka.TopicBootstrapReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the Kafka broker answers and the catalog's topics exist. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final Admin admin;
    private final TopicsAtStartup topics;
    private final KafkaClientSettings clients;
    private final VqaConfig config;

    KafkaReadinessCheck(Admin admin, TopicsAtStartup topics, KafkaClientSettings clients, VqaConfig config) {
        this.admin = admin;
        this.topics = topics;
        this.clients = clients;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrap.servers", clients.bootstrapServers());
        try {
            BrokerProbe.ClusterInfo cluster = BrokerProbe.probe(admin, config.kafka().healthTimeout());
            response.withData("cluster.id", cluster.clusterId()).withData("brokers", cluster.brokers());
            Optional<TopicBootstrapReport> report = topics.ensure();
            report.ifPresent(r -> response.withData("topics", r.summary()));
            return response.up().build();
        } catch (RuntimeException e) {
            return response.withData("error", String.valueOf(e.getMessage())).down().build();
        }
    }
}
