package dev.vqamini.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A combined broker+controller ({@link KafkaRaftServer}) on a fixed client port, with its log
 * directory formatted on first use and reused afterwards, so data survives restarts.
 */
final class RaftServerBroker implements RunningBroker {

    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrap;

    private RaftServerBroker(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    static RaftServerBroker start(String host, int port, Path logDir) throws Exception {
        requireFree(host, port);
        // The controller port is private to this process; with a static voter set it is not
        // recorded in the metadata log, so a different free port each start is fine.
        int controllerPort = freePort(host);
        Properties props = baseProps(host, controllerPort, logDir);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return start(props, logDir, List.of(), host + ":" + port, Map.of());
    }

    /**
     * One node of a cluster (broker and controller, KRaft combined mode) on {@code host:port}, its controller
     * listener where {@code voters} says for {@code nodeId}. It returns once started: the cluster is ready only
     * when a majority of the controllers runs, which the caller waits for.
     */
    static RaftServerBroker startNode(String host, int port, int nodeId, KraftVoters voters, Path logDir) throws Exception {
        KraftVoters.Voter self = voters.voter(nodeId).orElseThrow(() -> new IllegalArgumentException(
                "node " + nodeId + " is not among the controllers " + voters + " (every node here is a controller)"));
        requireFree(host, port);
        requireFree(self.host(), self.port());
        Properties props = new Properties();
        props.putAll(BrokerSettings.cluster());
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("controller.quorum.voters", voters.toString());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", logDir.toString());
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + self.host() + ":" + self.port());
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(logDir, List.of(), nodeId, voters.clusterId());
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (Exception | Error e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new RaftServerBroker(server, host + ":" + port);
    }

    /**
     * A broker whose only client listener is SASL_SSL with SCRAM-SHA-512 and whose requests pass Kafka's
     * {@code StandardAuthorizer}. The controller listener (private to this process) is SASL_PLAINTEXT with PLAIN,
     * whose only user is the admin; the broker's own traffic, to its controller and between brokers, runs as the
     * admin, a super user, so the authorizer lets it through without ACLs.
     */
    static RaftServerBroker startSecured(String host, int port, Path logDir, BrokerSecurity security, TlsMaterial tls)
            throws Exception {
        requireFree(host, port);
        int controllerPort = freePort(host);
        String admin = security.adminUser();
        String adminPassword = security.adminPassword();
        Properties props = baseProps(host, controllerPort, logDir);
        props.put("listeners", "SASL_SSL://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://" + host + ":" + port);
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL_SSL");
        // Client listener: SCRAM users from the metadata log (created at format time); the JAAS entry is the
        // broker's own identity when it connects to itself as a client.
        props.put("sasl.enabled.mechanisms", BrokerSecurity.CLIENT_MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", BrokerSecurity.CLIENT_MECHANISM);
        props.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", BrokerSecurity.CLIENT_MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + admin
                        + "\" password=\"" + adminPassword + "\";");
        // Controller listener: PLAIN with the admin as its only user, both as server (user_<name>) and client.
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin
                        + "\" password=\"" + adminPassword + "\" user_" + admin + "=\"" + adminPassword + "\";");
        props.put("ssl.keystore.type", TlsMaterial.STORE_TYPE);
        props.put("ssl.keystore.location", tls.keystore().toString());
        props.put("ssl.keystore.password", tls.password());
        props.put("ssl.key.password", tls.password());
        props.put("ssl.truststore.type", TlsMaterial.STORE_TYPE);
        props.put("ssl.truststore.location", tls.truststore().toString());
        props.put("ssl.truststore.password", tls.password());
        props.put("ssl.client.auth", "none");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + admin);
        props.put("allow.everyone.if.no.acl.found", "false");
        Map<String, Object> adminClient = new HashMap<>(clientSecurity(tls));
        adminClient.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + admin + "\" password=\"" + adminPassword + "\";");
        return start(props, logDir, security.scramArguments(), host + ":" + port, adminClient);
    }

    /** What a client of a secured broker needs besides its own credentials (Kafka config names). */
    static Map<String, String> clientSecurity(TlsMaterial tls) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("security.protocol", "SASL_SSL");
        s.put("sasl.mechanism", BrokerSecurity.CLIENT_MECHANISM);
        s.put("ssl.truststore.type", TlsMaterial.STORE_TYPE);
        s.put("ssl.truststore.location", tls.truststore().toString());
        s.put("ssl.truststore.password", tls.password());
        return s;
    }

    private static Properties baseProps(String host, int controllerPort, Path logDir) {
        Properties props = new Properties();
        props.putAll(BrokerSettings.singleNode());
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        return props;
    }

    private static RaftServerBroker start(Properties props, Path logDir, List<String> scram, String bootstrap,
                                          Map<String, Object> adminClient) throws Exception {
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(logDir, scram, NODE_ID, Uuid.randomUuid().toString());
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            awaitReady(bootstrap, adminClient);
        } catch (Exception | Error e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new RaftServerBroker(server, bootstrap);
    }

    /** Formats the log directory unless an earlier run already did (then its cluster id is kept). */
    private static void format(Path logDir, List<String> scram, int nodeId, String clusterId) throws Exception {
        Files.createDirectories(logDir);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            // The Formatter's ignore-formatted mode still checks the cluster id against a new random one.
            return;
        }
        Formatter formatter = new Formatter();
        if (!scram.isEmpty()) {
            formatter.setScramArguments(scram);
        }
        formatter
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private static void awaitReady(String bootstrap, Map<String, Object> security) throws Exception {
        Properties props = new Properties();
        props.putAll(security);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker on " + bootstrap + " did not become ready within "
                                + READY_TIMEOUT, notYet);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static void requireFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port
                    + " (is another broker already running there?): " + e.getMessage(), e);
        }
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

}
