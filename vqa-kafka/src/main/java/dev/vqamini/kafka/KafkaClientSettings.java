package dev.vqamini.kafka;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place every Kafka client of a process gets its settings from: where the cluster is, how to prove who we
 * are ({@link KafkaSecurity}), and what the client is called. Producers, consumers, admin clients, the Kafka Streams
 * app and every CLI command take their maps from here, so TLS/SASL is configured once.
 *
 * <p>Client ids are {@code <application>-<role>-<pid>}, so broker logs and quotas tell instances and roles apart.
 */
public final class KafkaClientSettings {

    /** Where a client connects when nothing says otherwise. */
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    private final String bootstrapServers;
    private final KafkaSecurity security;
    private final String application;
    private final String instance;
    private final GroupProtocol groupProtocol;

    public KafkaClientSettings(String bootstrapServers, KafkaSecurity security, String application) {
        this(bootstrapServers, security, application, GroupProtocol.CLASSIC);
    }

    private KafkaClientSettings(String bootstrapServers, KafkaSecurity security, String application,
                                GroupProtocol groupProtocol) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap address: set VQA_KAFKA (or kafka.bootstrap.servers)");
        }
        this.bootstrapServers = bootstrapServers;
        this.security = security;
        this.application = application;
        this.instance = String.valueOf(ManagementFactory.getRuntimeMXBean().getPid());
        this.groupProtocol = groupProtocol;
    }

    /**
     * The same settings with group consumers on {@code protocol}: {@code classic} (the members agree on an assignment,
     * every one stopping at each rebalance) or {@code consumer} (KIP-848: the broker assigns, one partition at a time).
     */
    public KafkaClientSettings withGroupProtocol(String protocol) {
        GroupProtocol p;
        try {
            p = GroupProtocol.of(protocol);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group protocol must be classic or consumer, got '" + protocol + "'");
        }
        return new KafkaClientSettings(bootstrapServers, security, application, p);
    }

    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    /** A PLAINTEXT cluster (a local broker, tests). */
    public static KafkaClientSettings plaintext(String bootstrapServers, String application) {
        return new KafkaClientSettings(bootstrapServers, KafkaSecurity.none(), application);
    }

    /**
     * From the environment, as the CLI uses it: {@code bootstrap} if given, else {@code VQA_KAFKA}, else
     * {@link #DEFAULT_BOOTSTRAP}; security from {@code VQA_KAFKA_*}; the group protocol from
     * {@code VQA_KAFKA_GROUP_PROTOCOL} (classic by default).
     */
    public static KafkaClientSettings fromEnvironment(String bootstrap, String application, Map<String, String> env) {
        String servers = bootstrap != null && !bootstrap.isBlank() ? bootstrap
                : env.getOrDefault("VQA_KAFKA", DEFAULT_BOOTSTRAP);
        return new KafkaClientSettings(servers, KafkaSecurity.fromEnvironment(env), application)
                .withGroupProtocol(env.getOrDefault("VQA_KAFKA_GROUP_PROTOCOL", "classic"));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaSecurity security() {
        return security;
    }

    /** A client id for one role of this process, e.g. {@code clientId("admin")}. */
    public String clientId(String role) {
        return application + "-" + role + "-" + instance;
    }

    /** Address, security and client id: what every client needs. */
    public Map<String, Object> common(String role) {
        Map<String, Object> s = new HashMap<>(security.configs());
        s.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        s.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(role));
        return s;
    }

    /** A producer that loses nothing it was told was written: acks from all in-sync replicas, idempotent. */
    public Map<String, Object> producer(String role) {
        Map<String, Object> s = common(role);
        s.put(ProducerConfig.ACKS_CONFIG, "all");
        s.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return s;
    }

    /** {@link #producer} for records up to {@link dev.vqamini.wire.TopicCatalog#LARGE_MESSAGE_BYTES}. */
    public Map<String, Object> largeRecordProducer(String role) {
        Map<String, Object> s = producer(role);
        s.putAll(LargeRecordSettings.producer());
        return s;
    }

    /** A consumer that commits by hand and never creates topics (the topic bootstrap does, with their configs). */
    public Map<String, Object> consumer(String role) {
        Map<String, Object> s = common(role);
        s.putAll(LargeRecordSettings.consumer());
        s.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        s.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return s;
    }

    /** {@link #consumer} in a consumer group, starting from the earliest offset when the group has none. */
    public Map<String, Object> groupConsumer(String role, String groupId) {
        Map<String, Object> s = consumer(role);
        s.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        s.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol.name().toLowerCase(Locale.ROOT));
        if (groupProtocol == GroupProtocol.CLASSIC) {
            // A member killed with -9 says nothing: its partitions wait this long for another member (default 45 s).
            // Under the consumer protocol the broker owns both (group.consumer.session.timeout.ms and heartbeat).
            s.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            s.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        }
        return s;
    }

    /**
     * An admin client whose calls give up after {@code apiTimeoutMs}; one request waits at most as long (Kafka refuses
     * an API timeout shorter than the request timeout, 30 s by default).
     */
    public Map<String, Object> admin(String role, int apiTimeoutMs) {
        Map<String, Object> s = common(role);
        s.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMs);
        s.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Math.min(apiTimeoutMs, 30_000));
        return s;
    }

    public Admin newAdmin(String role, int apiTimeoutMs) {
        return Admin.create(admin(role, apiTimeoutMs));
    }

    /** A Kafka Streams app: {@code application.id}, address and security; the caller adds its own settings. */
    public Map<String, Object> streams(String applicationId) {
        Map<String, Object> s = common("streams"); // Streams derives one client id per thread from this one
        s.put("application.id", applicationId);
        return s;
    }

    /** A reader of whole topics outside any group. */
    public TopicReader topicReader(String role) {
        return new TopicReader(consumer(role));
    }

    @Override
    public String toString() {
        return bootstrapServers + " (" + security + (groupProtocol == GroupProtocol.CLASSIC ? "" : ", group protocol "
                + groupProtocol.name().toLowerCase(Locale.ROOT)) + ")";
    }
}
