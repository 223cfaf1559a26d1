package dev.vqamini.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KafkaSecurity without a broker: what each setting turns into (the secured broker test runs the result). */
class KafkaSecurityTest {

    @Test
    void environmentVariablesMapToKafkaConfigNamesAndOthersAreIgnored() {
        Map<String, String> env = Map.of(
                "VQA_KAFKA", "kafka:9093",
                "VQA_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "VQA_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "VQA_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "VQA_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "VQA_KAFKA_USERNAME", "scorer-service",
                "VQA_KAFKA_PASSWORD", "scorer-pw",
                "VQA_KAFKA_REPLICATION", "3",
                "HOME", "/root");
        assertEquals(Map.of("security.protocol", "sasl_ssl", "sasl.mechanism", "SCRAM-SHA-256",
                        "ssl.truststore.location", "/etc/kafka/ca.p12", "ssl.truststore.password", "trust-pw",
                        "username", "scorer-service", "password", "scorer-pw"),
                KafkaSecurity.fromEnvironmentNames(env));

        Map<String, String> c = KafkaSecurity.fromEnvironment(env).configs();
        assertEquals("SASL_SSL", c.get("security.protocol"), "protocol normalised to upper case");
        assertEquals("SCRAM-SHA-256", c.get("sasl.mechanism"));
        assertEquals("/etc/kafka/ca.p12", c.get("ssl.truststore.location"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scorer-service\""
                + " password=\"scorer-pw\";", c.get("sasl.jaas.config"));
        assertFalse(c.containsKey("username") || c.containsKey("password") || c.containsKey("replication"), c.keySet().toString());

        KafkaClientSettings settings = KafkaClientSettings.fromEnvironment(null, "scorer", env);
        assertEquals("kafka:9093", settings.bootstrapServers());
        assertEquals("SASL_SSL", settings.consumer("fragments").get("security.protocol"), "every client carries it");
        assertEquals(c.get("sasl.jaas.config"), settings.streams("app").get("sasl.jaas.config"));
    }

    @Test
    void noVariablesIsPlaintext() {
        KafkaSecurity none = KafkaSecurity.fromEnvironment(Map.of("PATH", "/bin"));
        assertEquals(Map.of(), none.configs());
        assertEquals("PLAINTEXT", none.protocol());
        assertEquals(Map.of(), KafkaSecurity.none().configs());
    }

    @Test
    void usernameAndPasswordWriteTheJaasConfigOfEachMechanism() {
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
                jaas("PLAIN"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                jaas("SCRAM-SHA-256"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                jaas("SCRAM-SHA-512"));
        assertEquals("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId=\"u\""
                + " clientSecret=\"p\";", jaas("OAUTHBEARER"));

        KafkaSecurity oauth = KafkaSecurity.of(Map.of("sasl.mechanism", "OAUTHBEARER", "username", "u", "password", "p",
                "sasl.oauthbearer.token.endpoint.url", "https://idp/token"));
        assertEquals("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                oauth.configs().get("sasl.login.callback.handler.class"));
        assertEquals("https://idp/token", oauth.configs().get("sasl.oauthbearer.token.endpoint.url"));
    }

    @Test
    void usernameAloneDefaultsToScramSha512OverSaslSsl() {
        KafkaSecurity s = KafkaSecurity.of(Map.of("username", "alice", "password", "pw"));
        assertEquals("SASL_SSL", s.protocol());
        assertEquals("SCRAM-SHA-512", s.configs().get("sasl.mechanism"));
        // An explicit protocol is kept (SASL over plaintext inside a private network).
        assertEquals("SASL_PLAINTEXT", KafkaSecurity.of(Map.of("security.protocol", "SASL_PLAINTEXT",
                "username", "alice", "password", "pw")).protocol());
    }

    @Test
    void quotesAndBackslashesInCredentialsAreEscaped() {
        String jaas = KafkaSecurity.of(Map.of("username", "a\"b", "password", "c\\d")).configs().get("sasl.jaas.config");
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\\\"b\""
                + " password=\"c\\\\d\";", jaas);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS", "SASL", "SASL_TLS", "HTTPS"})
    void aBadProtocolNamesTheSetting(String protocol) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.fromEnvironment(Map.of("VQA_KAFKA_SECURITY_PROTOCOL", protocol)));
        assertTrue(e.getMessage().contains("security.protocol = " + protocol), e.getMessage());
        assertTrue(e.getMessage().contains("SASL_SSL"), "lists the valid ones: " + e.getMessage());
    }

    @Test
    void badCombinationsNameWhatToSet() {
        IllegalArgumentException mechanism = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.of(Map.of("sasl.mechanism", "GSSAPI", "username", "u", "password", "p")));
        assertTrue(mechanism.getMessage().contains("sasl.mechanism = GSSAPI"), mechanism.getMessage());

        IllegalArgumentException noCredentials = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.of(Map.of("security.protocol", "SASL_SSL")));
        assertTrue(noCredentials.getMessage().contains("VQA_KAFKA_USERNAME"), noCredentials.getMessage());

        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.of(Map.of(
                "username", "u", "password", "p", "sasl.jaas.config", "x required;")));
        assertTrue(both.getMessage().contains("sasl.jaas.config"), both.getMessage());
    }

    @Test
    void secretsNeverAppearInToString() {
        Map<String, String> env = new HashMap<>();
        env.put("VQA_KAFKA_USERNAME", "scorer-service");
        env.put("VQA_KAFKA_PASSWORD", "hunter2-password");
        env.put("VQA_KAFKA_SSL_TRUSTSTORE_LOCATION", "/ca.p12");
        env.put("VQA_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-secret");
        env.put("VQA_KAFKA_SSL_KEYSTORE_PASSWORD", "key-secret");
        env.put("VQA_KAFKA_SSL_KEY_PASSWORD", "key-pass-secret");
        KafkaSecurity s = KafkaSecurity.fromEnvironment(env);
        KafkaClientSettings settings = new KafkaClientSettings("kafka:9093", s, "scorer");
        for (String shown : new String[] {s.toString(), settings.toString()}) {
            for (String secret : new String[] {"hunter2", "trust-secret", "key-secret", "key-pass-secret", "ScramLoginModule"}) {
                assertFalse(shown.contains(secret), shown);
            }
        }
        assertEquals("SASL_SSL SCRAM-SHA-512", s.toString());
        assertEquals("kafka:9093 (SASL_SSL SCRAM-SHA-512)", settings.toString());

        String jaasSecret = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"x\" password=\"jaas-secret\";";
        KafkaSecurity jaas = KafkaSecurity.of(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaasSecret));
        assertFalse(jaas.toString().contains("jaas-secret"), jaas.toString());
    }

    private static String jaas(String mechanism) {
        return KafkaSecurity.of(Map.of("sasl.mechanism", mechanism, "username", "u", "password", "p"))
                .configs().get("sasl.jaas.config");
    }
}
