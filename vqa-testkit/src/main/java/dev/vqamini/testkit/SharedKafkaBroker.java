package dev.vqamini.testkit;

import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.wire.TopicCatalog;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.apache.kafka.common.utils.Exit;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>With a Docker engine it is a Testcontainers {@code apache/kafka} container (the same image
 * docker-compose runs); without one (as on CI) it is the in-process {@link LocalKafkaBroker}.
 * Sharing it keeps a test run to one ~2 s start instead of one per class; tests isolate
 * themselves with their own topics, groups or offsets.
 */
public final class SharedKafkaBroker {

    /** The image docker-compose.yml runs too; same Kafka version as the client jars. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    private SharedKafkaBroker() {
    }

    /** The shared broker, starting it if this is the first call in this JVM. */
    public static TestKafka get() {
        return Holder.BROKER;
    }

    /** Initialised once, thread-safely, by the JVM's class initialisation. */
    private static final class Holder {
        static final TestKafka BROKER = start();
    }

    private static TestKafka start() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
                    // Same ceilings as LocalKafkaBroker, so 16 MiB records pass either way.
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(TopicCatalog.LARGE_MESSAGE_BYTES))
                    .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(TopicCatalog.LARGE_MESSAGE_BYTES))
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "vqa-testkit-kafka-stop"));
            return new TestKafka(container.getBootstrapServers(), "testcontainers");
        }
        // At JVM exit Kafka's own hook deletes the test kit's temporary log dirs, racing our hook that stops the
        // broker; a broker that loses its log dirs halts the JVM with status 1, which fails a build whose tests all
        // passed. Nothing may halt the test JVM from inside the in-process broker.
        Exit.setHaltProcedure((status, message) -> { });
        Exit.setExitProcedure((status, message) -> { });
        LocalKafkaBroker broker = LocalKafkaBroker.startEphemeral();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "vqa-testkit-kafka-stop"));
        return new TestKafka(broker.bootstrapServers(), "in-process");
    }
}
