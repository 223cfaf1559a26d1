package dev.vqamini.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The secured broker itself; the services' ACLs are tested in vqa-kafka (ServiceAclsBrokerTest). */
class SecuredBrokerTest {

    @Test
    void adminIsSuperUserOthersNeedAclsAndTheWrongPasswordIsRefused() throws Exception {
        BrokerSecurity users = BrokerSecurity.admin("admin", "admin-pw").withUser("alice", "alice-pw");
        Path truststore;
        try (LocalKafkaBroker broker = LocalKafkaBroker.startSecured(users)) {
            assertTrue(broker.secured());
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            Map<String, String> tls = broker.clientSecurity();
            assertEquals("SASL_SSL", tls.get("security.protocol"));
            truststore = Path.of(tls.get("ssl.truststore.location"));
            assertTrue(Files.isRegularFile(truststore));

            try (Admin admin = Admin.create(client(broker, "admin", "admin-pw"))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertEquals(Set.of("t"), admin.listTopics().names().get(10, TimeUnit.SECONDS));
            }
            try (Admin alice = Admin.create(client(broker, "alice", "alice-pw"))) {
                // Authenticated, but no ACL: the topic is invisible and creating one is refused.
                assertEquals(Set.of(), alice.listTopics().names().get(10, TimeUnit.SECONDS));
                ExecutionException e = assertThrows(ExecutionException.class, () -> alice.createTopics(
                        List.of(new NewTopic("u", 1, (short) 1))).all().get(10, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, e.getCause());
            }
            try (Admin wrong = Admin.create(client(broker, "alice", "not-her-password"))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> wrong.listTopics().names().get(10, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
        }
        assertFalse(Files.exists(truststore), "TLS material is deleted on close");
    }

    @Test
    void passwordsNeverShowAndUnsafeNamesAreRefused() {
        BrokerSecurity users = BrokerSecurity.admin("admin", "s3cret-admin").withUser("bob", "s3cret-bob");
        assertFalse(users.toString().contains("s3cret"), users.toString());
        assertThrows(IllegalArgumentException.class, () -> BrokerSecurity.admin("admin", "a,b"));
        assertThrows(IllegalArgumentException.class, () -> users.withUser("bob", "x"));
        assertThrows(IllegalArgumentException.class, () -> users.withUser("eve\"", "x"));
    }

    private static Map<String, Object> client(LocalKafkaBroker broker, String user, String password) {
        Map<String, Object> p = new HashMap<>(broker.clientSecurity());
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("default.api.timeout.ms", 15_000);
        p.put("request.timeout.ms", 10_000);
        return p;
    }
}
