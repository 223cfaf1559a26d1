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
        Properties props = new Properties();
        props.putAll(BrokerSettings.singleNode());
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = host + ":" + port;
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (Exception | Error e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new RaftServerBroker(server, bootstrap);
    }

    /** Formats the log directory unless an earlier run already did (then its cluster id is kept). */
    private static void format(Path logDir) throws Exception {
        Files.createDirectories(logDir);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            // The Formatter's ignore-formatted mode still checks the cluster id against a new random one.
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private static void awaitReady(String bootstrap) throws Exception {
        Properties props = new Properties();
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

    private static int freePort(String host) throws IOException {
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
