package dev.vqamini.cli;

import dev.vqamini.kafka.BrokerProbe;
import dev.vqamini.kafka.KafkaAdminException;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.KafkaSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import picocli.CommandLine.Option;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code --kafka HOST:PORT} for commands that talk to Kafka: default {@code $VQA_KAFKA}, else localhost:9092, like the
 * services; TLS/SASL from the same {@code VQA_KAFKA_*} variables the services read.
 *
 * <p>Before a command's first Kafka client, {@link #settings()} asks the cluster to describe itself within
 * {@link #PROBE_TIMEOUT}: an unreachable broker, an unknown host, refused credentials or a failed TLS handshake end
 * the command in seconds with one line that says what to set, instead of the clients' minute of retries.
 */
public final class KafkaOption {

    /** How long the first contact may take: a broker that answers does so in milliseconds. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** The environment the settings come from; tests put a secured broker's variables here. */
    static volatile Map<String, String> environment = System.getenv();

    private static final Pattern JAAS_USER = Pattern.compile("(?:username|clientId)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:VQA_KAFKA:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $VQA_KAFKA, else localhost:9092; now ${DEFAULT-VALUE}).")
    String servers;

    private KafkaClientSettings reached;

    public String servers() {
        return servers;
    }

    /**
     * Every Kafka client this command makes takes its settings from here; the first call checks that the cluster
     * answers and accepts them.
     *
     * @throws IllegalStateException with the operator's message when it does not
     */
    public KafkaClientSettings settings() {
        if (reached == null) {
            KafkaClientSettings s = KafkaClientSettings.fromEnvironment(servers, "vqa-cli", environment);
            try {
                BrokerProbe.reach(s, PROBE_TIMEOUT);
            } catch (KafkaAdminException e) {
                throw new IllegalStateException(explain(s, e), e);
            }
            reached = s;
        }
        return reached;
    }

    /** What went wrong, in the operator's terms, and what to set. */
    static String explain(KafkaClientSettings s, KafkaAdminException e) {
        String at = s.bootstrapServers();
        KafkaSecurity security = s.security();
        Throwable cause = e.getCause();
        if (cause instanceof SaslAuthenticationException) {
            String mechanism = security.configs().getOrDefault("sasl.mechanism", "GSSAPI");
            return "Kafka at " + at + " refused the credentials of user " + user(security).orElse("(from sasl.jaas.config)")
                    + " (SASL " + mechanism + "): check VQA_KAFKA_USERNAME/VQA_KAFKA_PASSWORD"
                    + " (and VQA_KAFKA_SASL_MECHANISM)";
        }
        if (cause instanceof SslAuthenticationException) {
            return "TLS handshake with Kafka at " + at + " failed (" + rootMessage(cause) + "): check"
                    + " VQA_KAFKA_SSL_TRUSTSTORE_LOCATION (the broker's CA) and that this port speaks TLS";
        }
        if (cause instanceof AuthenticationException) {
            return "Kafka at " + at + " refused this client (" + security + "): " + rootMessage(cause);
        }
        if (cause instanceof ConfigException && String.valueOf(cause.getMessage())
                .contains("resolvable")) {
            return "no host of Kafka address " + at + " resolves (DNS): check --kafka HOST:PORT or VQA_KAFKA";
        }
        String hint = "is the broker running? set --kafka HOST:PORT or VQA_KAFKA"
                + " (TLS/SASL: VQA_KAFKA_SECURITY_PROTOCOL, VQA_KAFKA_USERNAME, VQA_KAFKA_PASSWORD,"
                + " VQA_KAFKA_SSL_TRUSTSTORE_LOCATION)";
        if (cause instanceof TimeoutException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "cannot reach Kafka at " + at + " (" + security + ") within " + PROBE_TIMEOUT.toSeconds() + " s: " + hint;
        }
        return "cannot reach Kafka at " + at + " (" + security + "): " + rootMessage(cause != null ? cause : e) + "; " + hint;
    }

    /** The user named in the SASL settings, never the password. */
    static Optional<String> user(KafkaSecurity security) {
        String jaas = security.configs().get("sasl.jaas.config");
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher m = JAAS_USER.matcher(jaas);
        return m.find() ? Optional.of(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"))
                : Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
