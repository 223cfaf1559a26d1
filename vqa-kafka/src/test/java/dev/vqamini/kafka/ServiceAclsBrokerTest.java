package dev.vqamini.kafka;

import dev.vqamini.broker.BrokerSecurity;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.kafka.ServiceAcls.Service;
import dev.vqamini.wire.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The services' ACLs on a real secured broker (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer): each service does its
 * work as its own user through {@link KafkaClientSettings} and {@link KafkaSecurity}; clients without the right
 * credentials are refused; a service cannot write where its ACLs do not let it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceAclsBrokerTest {

    private static final String ADMIN = "vqa-admin";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ServiceAcls ACLS = ServiceAcls.defaults();
    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startSecuredBrokerWithAclsAndTopics() {
        BrokerSecurity users = BrokerSecurity.admin(ADMIN, password(ADMIN));
        for (Service s : Service.values()) {
            users = users.withUser(ACLS.user(s), password(ACLS.user(s)));
        }
        broker = LocalKafkaBroker.startSecured(users);
        KafkaClientSettings admin = settings(ADMIN);
        TopicBootstrapReport report = TopicBootstrap.ensureCatalog(admin, TIMEOUT, (short) 1);
        assertEquals(TopicCatalog.all().size(), report.created().size(), report.summary());
        try (Admin client = admin.newAdmin("acls", (int) TIMEOUT.toMillis())) {
            int sent = ACLS.apply(client, TIMEOUT);
            // The broker authorizes from its copy of the metadata: wait until it lists every new ACL.
            await("ACLs on the broker", () -> {
                try {
                    return client.describeAcls(AclBindingFilter.ANY).values().get(5, TimeUnit.SECONDS).size() >= sent;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyServiceFindsAndChecksTheCatalogAndProbesTheClusterButCreatesNothing() {
        for (Service s : Service.values()) {
            KafkaClientSettings kafka = settings(ACLS.user(s));
            TopicBootstrapReport report = TopicBootstrap.ensureCatalog(kafka, TIMEOUT, (short) 1);
            assertEquals(List.of(), report.created(), s + ": " + report.summary());
            assertEquals(TopicCatalog.all().size(), report.existing().size(), s + ": " + report.summary());
            assertTrue(report.consistent(), report.summary());
            try (Admin admin = kafka.newAdmin("probe", (int) TIMEOUT.toMillis())) {
                assertEquals(1, BrokerProbe.probe(admin, TIMEOUT).brokers(), s + " probes without a cluster ACL");
                ExecutionException e = assertThrows(ExecutionException.class, () -> admin.createTopics(
                        List.of(new NewTopic("vqa.not-in-catalog", 1, (short) 1))).all().get(10, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, e.getCause(), s + " may not create topics");
            }
        }
    }

    @Test
    void ingestConsumesUploadsInItsGroupAndWritesFragmentsLabelsAndDeadLetters() throws Exception {
        KafkaClientSettings ingest = settings(ACLS.user(Service.INGEST));
        send(ingest, TopicCatalog.UPLOADS.name(), "video-upload", "uploaded");
        assertEquals("uploaded", consumeOne(ingest, ServiceAcls.INGEST_GROUP, TopicCatalog.UPLOADS.name(), "video-upload"));
        send(ingest, TopicCatalog.FRAGMENTS.name(), "video-ingest", "clip");
        send(ingest, TopicCatalog.LABELS.name(), "video-ingest", "4.2");
        send(ingest, TopicCatalog.DLQ.name(), "video-ingest", "dead");
    }

    @Test
    void scorerConsumesFragmentsInItsGroupReadsModelsAndWritesScores() throws Exception {
        KafkaClientSettings ingest = settings(ACLS.user(Service.INGEST));
        KafkaClientSettings pruning = settings(ACLS.user(Service.PRUNING));
        KafkaClientSettings scorer = settings(ACLS.user(Service.SCORER));
        send(ingest, TopicCatalog.FRAGMENTS.name(), "video-scorer", "clip-0");
        send(pruning, TopicCatalog.MODELS.name(), TopicCatalog.modelChunkKey("m1", 0), "chunk");

        assertEquals("clip-0", consumeOne(scorer, ServiceAcls.SCORER_GROUP, TopicCatalog.FRAGMENTS.name(), "video-scorer"));
        assertTrue(readAll(scorer, TopicCatalog.MODELS.name()).containsKey(TopicCatalog.modelChunkKey("m1", 0)));
        send(scorer, TopicCatalog.CLIP_SCORES.name(), "video-scorer", "0.5");
        send(scorer, TopicCatalog.VIDEO_SCORES.name(), "video-scorer", "0.5");
        send(scorer, TopicCatalog.DLQ.name(), "video-scorer", "dead");

        // Its ACLs stop at its own work: another service's group and topics it does not read.
        Map<String, Object> wrongGroup = consumerProps(scorer.groupConsumer("steal", ServiceAcls.INGEST_GROUP));
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(wrongGroup)) {
            c.subscribe(List.of(TopicCatalog.FRAGMENTS.name()));
            assertThrows(GroupAuthorizationException.class, () -> pollUntilError(c));
        }
        Map<String, Object> labels = consumerProps(scorer.consumer("labels"));
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(labels)) {
            c.assign(List.of(new TopicPartition(TopicCatalog.LABELS.name(), 0)));
            c.seekToBeginning(c.assignment());
            assertThrows(TopicAuthorizationException.class, () -> pollUntilError(c));
        }
    }

    @Test
    void scorerCannotWriteRollouts() throws Exception {
        TopicPartition rollouts = new TopicPartition(TopicCatalog.ROLLOUTS.name(), 0);
        long before = endOffset(rollouts);
        KafkaClientSettings scorer = settings(ACLS.user(Service.SCORER));
        try (KafkaProducer<String, String> producer = producer(scorer)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer
                    .send(new ProducerRecord<>(TopicCatalog.ROLLOUTS.name(), "vqa", "candidate=evil")).get(15, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains(TopicCatalog.ROLLOUTS.name()), e.getCause().getMessage());
        }
        assertEquals(before, endOffset(rollouts), "nothing was written to vqa.rollouts");
    }

    @Test
    void pruningReadsWholeTopicsWithoutAGroupAndPublishesModelsAndRollouts() throws Exception {
        KafkaClientSettings pruning = settings(ACLS.user(Service.PRUNING));
        send(settings(ACLS.user(Service.INGEST)), TopicCatalog.LABELS.name(), "video-pruning", "3.9");
        assertEquals("3.9", readAll(pruning, TopicCatalog.LABELS.name()).get("video-pruning"));
        readAll(pruning, TopicCatalog.FRAGMENTS.name());
        send(pruning, TopicCatalog.MODELS.name(), TopicCatalog.modelChunkKey("m2", 0), "pruned");
        send(pruning, TopicCatalog.ROLLOUTS.name(), "vqa", "stable=m2");
        assertEquals("stable=m2", readAll(pruning, TopicCatalog.ROLLOUTS.name()).get("vqa"));
    }

    @Test
    void metricsRunsItsExactlyOnceStreamsAppWithInternalTopics(@TempDir Path stateDir) throws Exception {
        send(settings(ACLS.user(Service.SCORER)), TopicCatalog.VIDEO_SCORES.name(), "video-metrics", "0.7");
        KafkaClientSettings metrics = settings(ACLS.user(Service.METRICS));
        Map<String, Object> props = metrics.streams(ServiceAcls.METRICS_APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        StreamsBuilder builder = new StreamsBuilder();
        // A count per video: a state store with a changelog topic the app creates, under its own prefix.
        builder.stream(TopicCatalog.VIDEO_SCORES.name(), Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("scores-per-video"));
        builder.stream(TopicCatalog.LABELS.name(), Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> { });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Properties config = new Properties();
        config.putAll(props);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            await("metrics-service's Streams app counts the score", () -> {
                if (failure.get() != null) {
                    fail("Streams app failed: " + failure.get(), failure.get());
                }
                if (streams.state() != KafkaStreams.State.RUNNING) {
                    return false;
                }
                try {
                    ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                            "scores-per-video", QueryableStoreTypes.keyValueStore()));
                    Long n = store.get("video-metrics");
                    return n != null && n >= 1;
                } catch (InvalidStateStoreException notYet) {
                    return false;
                }
            });
            streams.close(Duration.ofSeconds(10));
        }
        assertNull(failure.get());
        try (Admin admin = settings(ADMIN).newAdmin("check", (int) TIMEOUT.toMillis())) {
            Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertTrue(topics.stream().anyMatch(t -> t.startsWith(ServiceAcls.METRICS_APPLICATION_ID + "-")
                    && t.endsWith("-changelog")), "the app created its changelog: " + topics);
        }
    }

    @Test
    void noCredentialsAndAWrongPasswordAreRefused() {
        // Wrong password: the broker answers the SCRAM exchange with an authentication failure, at once.
        Map<String, String> wrong = new HashMap<>(broker.clientSecurity());
        wrong.put("username", ACLS.user(Service.SCORER));
        wrong.put("password", "not-the-password");
        KafkaClientSettings wrongPassword = new KafkaClientSettings(broker.bootstrapServers(), KafkaSecurity.of(wrong), "intruder");
        long start = System.nanoTime();
        try (Admin admin = wrongPassword.newAdmin("probe", 10_000)) {
            KafkaAdminException e = assertThrows(KafkaAdminException.class, () -> BrokerProbe.probe(admin, Duration.ofSeconds(10)));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), String.valueOf(e.getCause()));
            assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
        }
        try (KafkaProducer<String, String> producer = producer(wrongPassword)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer
                    .send(new ProducerRecord<>(TopicCatalog.ROLLOUTS.name(), "vqa", "x")).get(15, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), String.valueOf(e.getCause()));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "refused, not left hanging");

        // No credentials: a PLAINTEXT client, and a TLS client that skips SASL. The broker drops the connection
        // before any request is served (the client only sees disconnects, so its call runs out of time).
        Map<String, String> tlsOnly = new HashMap<>(broker.clientSecurity());
        tlsOnly.put("security.protocol", "SSL");
        tlsOnly.remove("sasl.mechanism");
        for (KafkaSecurity anonymous : List.of(KafkaSecurity.none(), KafkaSecurity.of(tlsOnly))) {
            KafkaClientSettings nobody = new KafkaClientSettings(broker.bootstrapServers(), anonymous, "anonymous");
            long t0 = System.nanoTime();
            try (Admin admin = nobody.newAdmin("probe", 3_000)) {
                KafkaAdminException e = assertThrows(KafkaAdminException.class,
                        () -> BrokerProbe.probe(admin, Duration.ofSeconds(3)), anonymous.toString());
                assertTrue(e.getCause() instanceof TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException,
                        anonymous + ": " + e.getCause());
            }
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), anonymous + " refused, not left hanging");
        }
    }

    /**
     * metrics-service's rollout controller as its own user: it is elected in its group on vqa.rollout-decisions,
     * writes a rollout and a decision, reads the decisions; the scorer can do none of it.
     */
    @Test
    void metricsRunsTheRolloutControllerAndTheScorerCannot() throws Exception {
        KafkaClientSettings metrics = settings(ACLS.user(Service.METRICS));
        try (GroupLeadership leadership = new GroupLeadership(metrics, ServiceAcls.ROLLOUT_CONTROLLER_GROUP,
                TopicCatalog.ROLLOUT_DECISIONS.name(), Duration.ofSeconds(6), m -> { }).start()) {
            await("the metrics user is elected in " + ServiceAcls.ROLLOUT_CONTROLLER_GROUP, leadership::leader);
        }
        send(metrics, TopicCatalog.ROLLOUTS.name(), "acl-model", "a rollout edit");
        send(metrics, TopicCatalog.ROLLOUT_DECISIONS.name(), "acl-model", "a decision");
        assertEquals("a decision", readAll(metrics, TopicCatalog.ROLLOUT_DECISIONS.name()).get("acl-model"));

        KafkaClientSettings scorer = settings(ACLS.user(Service.SCORER));
        try (KafkaProducer<String, String> producer = producer(scorer)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer
                    .send(new ProducerRecord<>(TopicCatalog.ROLLOUT_DECISIONS.name(), "acl-model", "forged")).get(15, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), String.valueOf(e.getCause()));
        }
        List<String> problems = new CopyOnWriteArrayList<>();
        try (GroupLeadership intruder = new GroupLeadership(scorer, ServiceAcls.ROLLOUT_CONTROLLER_GROUP,
                TopicCatalog.ROLLOUT_DECISIONS.name(), Duration.ofSeconds(6), problems::add).start()) {
            await("the scorer is refused the controller's group", () -> !problems.isEmpty());
            assertTrue(!intruder.leader(), "never elected");
        }
        assertTrue(problems.get(0).contains("left the election"), problems.toString());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static String password(String user) {
        return user + "-pw-" + Integer.toHexString(user.hashCode());
    }

    /** A user's client settings exactly as a service builds them: the broker's truststore plus username/password. */
    private static KafkaClientSettings settings(String user) {
        Map<String, String> security = new LinkedHashMap<>(broker.clientSecurity());
        security.put("username", user);
        security.put("password", password(user));
        return new KafkaClientSettings(broker.bootstrapServers(), KafkaSecurity.of(security), user);
    }

    private static KafkaProducer<String, String> producer(KafkaClientSettings kafka) {
        Map<String, Object> p = kafka.producer("test");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaClientSettings kafka, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(15, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> consumerProps(Map<String, Object> base) {
        Map<String, Object> p = new HashMap<>(base);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    /** Subscribes in {@code group}, waits for the record with {@code key}, commits: what a group consumer does. */
    private static String consumeOne(KafkaClientSettings kafka, String group, String topic, String key) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(kafka.groupConsumer("test", group)))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        c.commitSync(Duration.ofSeconds(10));
                        return r.value();
                    }
                }
            }
            throw new AssertionError(group + " did not receive " + key + " from " + topic + " within " + TIMEOUT);
        }
    }

    private static Map<String, String> readAll(KafkaClientSettings kafka, String topic) {
        Map<String, String> out = new HashMap<>();
        kafka.topicReader("test").readToEnd(topic, new StringDeserializer(), out::put);
        return out;
    }

    private static void pollUntilError(KafkaConsumer<String, String> c) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200));
        }
        fail("no authorization error within " + TIMEOUT);
    }

    private static long endOffset(TopicPartition tp) throws Exception {
        try (Admin admin = settings(ADMIN).newAdmin("offsets", (int) TIMEOUT.toMillis())) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + TIMEOUT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
