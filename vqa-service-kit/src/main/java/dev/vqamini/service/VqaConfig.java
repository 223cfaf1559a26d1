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

    Auth auth();

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

        /**
         * The consumer groups' protocol ({@code VQA_KAFKA_GROUP_PROTOCOL}): {@code classic}, or {@code consumer}
         * (KIP-848, the broker assigns partitions and a member joining or leaving stops no one else).
         */
        @WithDefault("classic")
        String groupProtocol();
    }

    interface Topics {
        /** Create missing catalog topics at startup and check existing ones. */
        @WithDefault("true")
        boolean bootstrap();

        /** Refuse to become ready when an existing topic differs from the catalog. */
        @WithDefault("false")
        boolean failOnMismatch();
    }

    /**
     * Bearer tokens (SmallRye JWT) on the endpoints that change something. The HTTP permissions that use them are
     * in the kit's microprofile-config.properties and each service's application.properties.
     */
    interface Auth {
        /**
         * The switch ({@code VQA_AUTH_ENABLED}): POST, PUT, PATCH and DELETE need a bearer token whose
         * {@code groups} claim holds the role the path asks for. Needs {@code mp.jwt.verify.publickey.location}
         * (a PEM public key or a JWKS, file or URL); the service refuses to start without it.
         */
        @WithDefault("false")
        boolean enabled();

        /** With auth on, whether {@code /q/metrics} stays open; false: any valid token (any role) is needed. */
        @WithDefault("true")
        boolean metricsOpen();
    }
}
