package dev.vqamini.service;

import dev.vqamini.kafka.KafkaAdminException;
import dev.vqamini.kafka.TopicBootstrap;
import dev.vqamini.kafka.TopicBootstrapReport;
import dev.vqamini.wire.TopicCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * Creates or checks the catalog's topics when the service starts. If Kafka is not reachable yet, startup goes on
 * and the readiness check retries, so services may start before the broker.
 */
@ApplicationScoped
public class TopicsAtStartup {

    private static final Logger LOG = Logger.getLogger(TopicsAtStartup.class);

    private final Admin admin;
    private final VqaConfig config;
    private final AtomicReference<TopicBootstrapReport> report = new AtomicReference<>();

    TopicsAtStartup(Admin admin, VqaConfig config) {
        this.admin = admin;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.topics().bootstrap()) {
            LOG.info("vqa.topics.bootstrap=false: not creating or checking Kafka topics");
            return;
        }
        try {
            ensure();
        } catch (KafkaAdminException e) {
            LOG.warnf("Kafka topics not bootstrapped yet (readiness will retry): %s", e.getMessage());
        }
    }

    /**
     * Blocks until the catalog's topics exist, retrying every second while Kafka cannot be reached (a service may
     * start before its broker); false when interrupted. Consumers start after it, so no topic is auto-created.
     */
    public boolean awaitTopics() {
        while (true) {
            try {
                ensure();
                return true;
            } catch (RuntimeException e) {
                LOG.debugf("waiting for Kafka topics: %s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /**
     * The bootstrap report, running the bootstrap first if it has not succeeded yet.
     *
     * @return empty when bootstrapping is disabled
     * @throws KafkaAdminException when Kafka cannot be reached
     * @throws IllegalStateException on mismatching topics when vqa.topics.fail-on-mismatch=true
     */
    public Optional<TopicBootstrapReport> ensure() {
        if (!config.topics().bootstrap()) {
            return Optional.empty();
        }
        TopicBootstrapReport done = report.get();
        if (done != null) {
            return Optional.of(done);
        }
        TopicBootstrapReport fresh = new TopicBootstrap(admin, config.kafka().adminTimeout(), config.kafka().replicationFactor())
                .ensure(TopicCatalog.all());
        if (fresh.consistent()) {
            LOG.info(fresh.summary());
        } else if (config.topics().failOnMismatch()) {
            fresh.requireConsistent();
        } else {
            LOG.warn(fresh.summary());
        }
        report.compareAndSet(null, fresh);
        return Optional.of(fresh);
    }
}
