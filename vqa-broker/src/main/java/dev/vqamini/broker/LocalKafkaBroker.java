package dev.vqamini.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running in this
 * JVM from Kafka's own jars: for tests, the demo and {@code ./vqa broker}.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.startEphemeral()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>It accepts records up to 16 MiB (the catalog's largest topics). {@link #close()} may be
 * called any number of times.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private final RunningBroker broker;
    private final Optional<Path> tempDir;
    private final Map<String, String> clientSecurity;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafkaBroker(RunningBroker broker, Optional<Path> tempDir) {
        this(broker, tempDir, Map.of());
    }

    private LocalKafkaBroker(RunningBroker broker, Optional<Path> tempDir, Map<String, String> clientSecurity) {
        this.broker = broker;
        this.tempDir = tempDir;
        this.clientSecurity = Map.copyOf(clientSecurity);
    }

    /**
     * Starts a broker on ephemeral ports with throw-away storage (about 2 s).
     *
     * @throws BrokerStartException when Kafka fails to start
     */
    public static LocalKafkaBroker startEphemeral() {
        try {
            return new LocalKafkaBroker(TestKitBroker.start(), Optional.empty());
        } catch (Exception e) {
            throw new BrokerStartException("cannot start the in-process Kafka broker on ephemeral ports: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a broker whose clients connect to {@code host:port}.
     *
     * @param host    address to listen on and advertise, e.g. {@code 127.0.0.1}
     * @param port    client port, e.g. 9092
     * @param dataDir log directory kept across restarts; empty for a temporary one deleted on close
     * @throws BrokerStartException when the port is taken, the directory unusable or Kafka fails
     */
    public static LocalKafkaBroker startFixed(String host, int port, Optional<Path> dataDir) {
        Optional<Path> temp = Optional.empty();
        try {
            Path dir;
            if (dataDir.isPresent()) {
                dir = dataDir.get().toAbsolutePath();
            } else {
                temp = Optional.of(Files.createTempDirectory("vqa-kafka-"));
                dir = temp.get();
            }
            return new LocalKafkaBroker(RaftServerBroker.start(host, port, dir), temp);
        } catch (Exception e) {
            temp.ifPresent(LocalKafkaBroker::deleteQuietly);
            throw new BrokerStartException("cannot start the Kafka broker on " + host + ":" + port
                    + dataDir.map(d -> " with data in " + d).orElse("") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts one node of a KRaft cluster (broker and controller in this JVM) whose clients connect to
     * {@code host:port}; its controller listener is where {@code voters} says for {@code nodeId}. Nodes started with
     * the same voters form one cluster, whose topics are replicated three times with min.insync.replicas 2. Returns
     * once this node runs; clients are served once a majority of the controllers does.
     *
     * @param data log directory, formatted on first use and kept across restarts
     * @throws BrokerStartException when a port is taken, the node is not among the voters, or Kafka fails
     */
    public static LocalKafkaBroker startClusterNode(String host, int port, int nodeId, KraftVoters voters, Path data) {
        try {
            return new LocalKafkaBroker(RaftServerBroker.startNode(host, port, nodeId, voters, data.toAbsolutePath()),
                    Optional.empty());
        } catch (Exception e) {
            throw new BrokerStartException("cannot start Kafka node " + nodeId + " on " + host + ":" + port + " (controllers "
                    + voters + ", data in " + data + "): " + e.getMessage(), e);
        }
    }

    /**
     * Starts a secured broker on {@code 127.0.0.1} and an ephemeral port, with throw-away storage and TLS material
     * (a fresh CA and a server certificate for {@code localhost} and {@code 127.0.0.1}), all deleted on close.
     *
     * <ul>
     *   <li>The only client listener is SASL_SSL with SCRAM-SHA-512; the users of {@code security} exist from the
     *       start (written into the metadata log when the storage is formatted).</li>
     *   <li>Kafka's {@code StandardAuthorizer} checks every request: the admin is a super user, everyone else may do
     *       only what ACLs allow, and there are none until the admin creates them.</li>
     *   <li>Clients connect with {@link #clientSecurity()} plus their own username and password.</li>
     * </ul>
     *
     * @throws BrokerStartException when Kafka fails to start
     */
    public static LocalKafkaBroker startSecured(BrokerSecurity security) {
        String host = "127.0.0.1";
        Path temp = null;
        try {
            temp = Files.createTempDirectory("vqa-kafka-secured-");
            TlsMaterial tls = TlsMaterial.generate(temp.resolve("tls"));
            int port = RaftServerBroker.freePort(host);
            RunningBroker running = RaftServerBroker.startSecured(host, port, temp.resolve("data"), security, tls);
            return new LocalKafkaBroker(running, Optional.of(temp), RaftServerBroker.clientSecurity(tls));
        } catch (Exception e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            throw new BrokerStartException("cannot start the secured (SASL_SSL) Kafka broker for " + security + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * What a client of this broker needs besides its credentials, as Kafka client config names:
     * {@code security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512} and the {@code ssl.truststore.*} of
     * the broker's CA. Empty for a PLAINTEXT broker. Contains the truststore password (not a user secret).
     */
    public Map<String, String> clientSecurity() {
        return clientSecurity;
    }

    /** Whether clients must authenticate (a broker from {@link #startSecured}). */
    public boolean secured() {
        return !clientSecurity.isEmpty();
    }

    /** The {@code host:port} list clients use as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker (and deletes temporary storage). Later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // KafkaClusterTestKit.close() throws when called twice
        }
        try {
            broker.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker " + bootstrapServers() + " did not stop cleanly: " + e.getMessage(), e);
        } finally {
            tempDir.ifPresent(LocalKafkaBroker::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a leftover temp dir is harmless and the OS cleans /tmp.
        }
    }
}
