package dev.vqamini.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared real Kafka broker:
 * {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}. Quarkus Dev Services stay disabled
 * (they would need Docker); the broker outlives the test resource and stops at JVM exit.
 */
public final class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String bootstrap = SharedKafkaBroker.get().bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // Shared per JVM: other test classes may still use it; a shutdown hook stops it.
    }
}
