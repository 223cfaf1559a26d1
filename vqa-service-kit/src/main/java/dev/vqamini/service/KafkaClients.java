package dev.vqamini.service;

import dev.vqamini.kafka.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the service's Kafka clients connect and what they are called: client ids are
 * {@code <quarkus.application.name>-<role>-<pid>}, so broker logs and quotas tell instances and roles apart.
 */
@ApplicationScoped
public class KafkaClients {

    private final String bootstrapServers;
    private final String applicationName;
    private final String instance = String.valueOf(ManagementFactory.getRuntimeMXBean().getPid());

    KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                 @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.bootstrapServers = bootstrapServers;
        this.applicationName = applicationName;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client id for one role of this service, e.g. {@code clientId("admin")}. */
    public String clientId(String role) {
        return applicationName + "-" + role + "-" + instance;
    }

    /** A reader for topics every instance reads in full (vqa.models, vqa.rollouts, vqa.labels), outside any group. */
    public TopicReader topicReader(String role) {
        return new TopicReader(bootstrapServers, clientId(role));
    }
}
