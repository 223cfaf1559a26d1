package dev.vqamini.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The {@code vqa.*} settings every service shares (defaults in the kit's microprofile-config.properties; a
 * service's application.properties overrides them). Service-specific settings live in the service's own mapping
 * under {@code vqa.<service>.*}.
 */
@ConfigMapping(prefix = "vqa")
public interface VqaConfig {

    Kafka kafka();

    Topics topics();

    interface Kafka {
        /** Replication factor for topics the bootstrap creates ({@code VQA_KAFKA_REPLICATION}). */
        @WithDefault("1")
        short replicationFactor();

        /** Timeout of admin calls (topic bootstrap). */
        @WithDefault("30s")
        Duration adminTimeout();

        /** Timeout of the readiness probe's broker check. */
        @WithDefault("3s")
        Duration healthTimeout();
    }

    interface Topics {
        /** Create missing catalog topics at startup and check existing ones. */
        @WithDefault("true")
        boolean bootstrap();

        /** Refuse to become ready when an existing topic differs from the catalog. */
        @WithDefault("false")
        boolean failOnMismatch();
    }
}
