package dev.vqamini.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKafkaBrokerTest {

    @Test
    void ephemeralBrokerCarriesRecordsAndClosesTwice() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.startEphemeral();
        try {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", "k", "hello")).get(30, TimeUnit.SECONDS);
            }
            assertEquals("hello", readOne(bootstrap, "t"));
        } finally {
            broker.close();
        }
        broker.close(); // second close is a no-op, not an exception
    }

    @Test
    void fixedPortBrokerKeepsTopicsInItsDataDirAcrossRestarts(@TempDir Path data) throws Exception {
        int port = freePort();
        try (LocalKafkaBroker broker = LocalKafkaBroker.startFixed("127.0.0.1", port, Optional.of(data))) {
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            try (Admin admin = admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.startFixed("127.0.0.1", port, Optional.of(data));
             Admin admin = admin(broker.bootstrapServers())) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.contains("kept"), "topic survives a restart: " + names);
        }
    }

    @Test
    void takenPortIsReportedWithHostAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            BrokerStartException e = assertThrows(BrokerStartException.class,
                    () -> LocalKafkaBroker.startFixed("127.0.0.1", port, Optional.empty()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static String readOne(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "g",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return records.iterator().next().value();
                }
            }
            throw new AssertionError("no record on " + topic + " within 30 s");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
