package dev.vqamini.harness;

import dev.vqamini.cli.TokenCommand;
import dev.vqamini.io.Pem;
import dev.vqamini.broker.BrokerSecurity;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.KafkaSecurity;
import dev.vqamini.kafka.ServiceAcls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo with security on: a SASL_SSL broker with one SCRAM user per service and only the ACLs each needs, the
 * demo itself as the broker's admin, and bearer JWTs on every mutating endpoint (an RSA key pair and an operator
 * token). Secrets reach the services through their environment, never their command line.
 */
final class DemoSecurity {

    private static final String ADMIN = "vqa-admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String adminPassword = secret();
    private final Map<ServiceAcls.Service, String> passwords = new EnumMap<>(ServiceAcls.Service.class);
    private final KeyPair jwtKeys;

    DemoSecurity() throws Exception {
        for (ServiceAcls.Service s : ServiceAcls.Service.values()) {
            passwords.put(s, secret());
        }
        jwtKeys = TokenCommand.generate();
    }

    /** The broker's users: the admin and one per service. */
    BrokerSecurity brokerUsers() {
        BrokerSecurity b = BrokerSecurity.admin(ADMIN, adminPassword);
        for (Map.Entry<ServiceAcls.Service, String> e : passwords.entrySet()) {
            b = b.withUser(e.getKey().defaultUser(), e.getValue());
        }
        return b;
    }

    /** The demo's own clients: the admin, who creates the topics, grants the ACLs, publishes and edits rollouts. */
    KafkaClientSettings admin(LocalKafkaBroker broker) {
        Map<String, String> s = new HashMap<>(broker.clientSecurity());
        s.put("username", ADMIN);
        s.put("password", adminPassword);
        return new KafkaClientSettings(broker.bootstrapServers(), KafkaSecurity.of(s), "vqa-demo");
    }

    /** Grants every service its ACLs (and nothing more). */
    void grantAcls(KafkaClientSettings admin) {
        try (var client = admin.newAdmin("acls", 30_000)) {
            ServiceAcls.defaults().apply(client, Duration.ofSeconds(30));
        }
    }

    /**
     * The environment of one service: its Kafka user (VQA_KAFKA_*), the broker's truststore, and JWT verification
     * with the demo's public key.
     */
    Map<String, String> environment(String service, LocalKafkaBroker broker, Path publicKey) {
        ServiceAcls.Service s = ServiceAcls.Service.valueOf(service.substring(0, service.indexOf('-')).toUpperCase());
        Map<String, String> env = new HashMap<>();
        broker.clientSecurity().forEach((k, v) -> env.put(KafkaSecurity.ENV_PREFIX + k.toUpperCase().replace('.', '_'), v));
        env.put(KafkaSecurity.ENV_PREFIX + "USERNAME", s.defaultUser());
        env.put(KafkaSecurity.ENV_PREFIX + "PASSWORD", passwords.get(s));
        env.put("VQA_AUTH_ENABLED", "true");
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
        return env;
    }

    /**
     * Writes, under {@code keys}, the JWT public key, an operator token and {@code kafka-admin.env} (the admin's
     * VQA_KAFKA_* settings, for {@code set -a; . kafka-admin.env} before a {@code vqa} command), secrets owner-only;
     * returns the token.
     */
    String writeFiles(Path keys, LocalKafkaBroker broker) throws Exception {
        StringBuilder env = new StringBuilder("VQA_KAFKA=" + broker.bootstrapServers() + "\n");
        broker.clientSecurity().forEach((k, v) -> env.append(KafkaSecurity.ENV_PREFIX).append(k.toUpperCase().replace('.', '_'))
                .append('=').append(v).append('\n'));
        env.append(KafkaSecurity.ENV_PREFIX + "USERNAME=" + ADMIN + "\n" + KafkaSecurity.ENV_PREFIX + "PASSWORD=" + adminPassword + "\n");
        Pem.writeOwnerOnly(keys.resolve("kafka-admin.env"), env.toString());
        Files.writeString(keys.resolve("jwt-public.pem"), Pem.encode("PUBLIC KEY", jwtKeys.getPublic().getEncoded()));
        String token = TokenCommand.sign(jwtKeys.getPrivate(), "vqa-mini", "vqa-demo", List.of("operator", "uploader"),
                Duration.ofDays(1));
        Pem.writeOwnerOnly(keys.resolve("operator.jwt"), token + "\n");
        return token;
    }

    private static String secret() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
