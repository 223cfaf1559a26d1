package dev.vqamini.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

/**
 * How a client proves who it is to Kafka and how it trusts the brokers: the {@code security.protocol},
 * {@code ssl.*} and {@code sasl.*} client configs, collected once for every producer, consumer, admin client and
 * Kafka Streams app of a process.
 *
 * <p>Read from Kafka's own config names ({@code kafka.security.protocol}, {@code kafka.ssl.truststore.location}...,
 * as services set them in {@code application.properties}) and from the environment, where {@code VQA_KAFKA_} plus
 * the config name in upper case with dots as underscores sets the same thing ({@code VQA_KAFKA_SASL_MECHANISM}).
 * {@code VQA_KAFKA_USERNAME} and {@code VQA_KAFKA_PASSWORD} (or {@code kafka.username}, {@code kafka.password}) are a
 * shortcut that writes {@code sasl.jaas.config} for PLAIN, SCRAM-SHA-256/512 and, as client id and secret,
 * OAUTHBEARER with a token endpoint. Secrets never appear in {@link #toString()}.
 */
public final class KafkaSecurity {

    /** Environment prefix of every setting; {@code VQA_KAFKA} alone is the bootstrap address. */
    public static final String ENV_PREFIX = "VQA_KAFKA_";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    private static final String OAUTH_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

    private final Map<String, String> configs;

    private KafkaSecurity(Map<String, String> configs) {
        this.configs = Map.copyOf(configs);
    }

    /** No security: PLAINTEXT, as a local broker or a test needs. */
    public static KafkaSecurity none() {
        return new KafkaSecurity(Map.of());
    }

    /**
     * From Kafka config names without prefix ({@code security.protocol}, {@code sasl.mechanism}...) plus the
     * {@code username}/{@code password} shortcut; anything else is ignored (it is not a security setting).
     *
     * @throws IllegalArgumentException naming the setting when the combination cannot work
     */
    public static KafkaSecurity of(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (v != null && !v.isBlank() && isSecurityConfig(k)) {
                out.put(k, v.trim());
            }
        });
        String user = settings.get(USERNAME);
        String password = settings.get(PASSWORD);
        if (user != null && !user.isBlank()) {
            if (out.containsKey("sasl.jaas.config")) {
                throw new IllegalArgumentException("Kafka: set either username/password or sasl.jaas.config, not both");
            }
            String mechanism = out.getOrDefault("sasl.mechanism", "SCRAM-SHA-512");
            out.put("sasl.mechanism", mechanism);
            out.put("sasl.jaas.config", jaas(mechanism, user, password == null ? "" : password));
            if (mechanism.equals("OAUTHBEARER")) {
                out.putIfAbsent("sasl.login.callback.handler.class", OAUTH_HANDLER);
            }
            out.putIfAbsent("security.protocol", "SASL_SSL");
        }
        String protocol = out.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
            throw new IllegalArgumentException("Kafka security.protocol = " + protocol
                    + ": use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        }
        if (protocol.startsWith("SASL") && !out.containsKey("sasl.jaas.config")) {
            throw new IllegalArgumentException("Kafka security.protocol = " + protocol + " needs credentials: set "
                    + ENV_PREFIX + "USERNAME and " + ENV_PREFIX + "PASSWORD (or sasl.jaas.config)");
        }
        if (out.containsKey("security.protocol")) {
            out.put("security.protocol", protocol);
        }
        return new KafkaSecurity(out);
    }

    /** From {@code VQA_KAFKA_*} variables, e.g. {@code System.getenv()}. */
    public static KafkaSecurity fromEnvironment(Map<String, String> env) {
        return of(fromEnvironmentNames(env));
    }

    /** {@code VQA_KAFKA_SASL_MECHANISM=X} as {@code sasl.mechanism=X}; other variables are left out. */
    public static Map<String, String> fromEnvironmentNames(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX)) {
                String name = k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (isSecurityConfig(name) || name.equals(USERNAME) || name.equals(PASSWORD)) {
                    out.put(name, v);
                }
            }
        });
        return out;
    }

    static boolean isSecurityConfig(String name) {
        return name.equals("security.protocol") || name.startsWith("ssl.") || name.startsWith("sasl.");
    }

    private static String jaas(String mechanism, String user, String password) {
        String u = quote(user);
        String p = quote(password);
        return switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=" + u
                    + " password=" + p + ";";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=" + u + " password=" + p + ";";
            case "OAUTHBEARER" -> "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                    + " clientId=" + u + " clientSecret=" + p + ";";
            default -> throw new IllegalArgumentException("Kafka sasl.mechanism = " + mechanism
                    + ": use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (or give sasl.jaas.config yourself)");
        };
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The client configs to add to every client's. */
    public Map<String, String> configs() {
        return configs;
    }

    public String protocol() {
        return configs.getOrDefault("security.protocol", "PLAINTEXT");
    }

    /** Protocol and mechanism, never a secret: what logs and health checks may show. */
    @Override
    public String toString() {
        String mechanism = configs.get("sasl.mechanism");
        return protocol() + (mechanism == null ? "" : " " + mechanism);
    }
}
