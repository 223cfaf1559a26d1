package dev.vqamini.broker;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.util.HashMap;
import java.util.Map;

/** A combined broker+controller on ephemeral ports, via Kafka's own {@link KafkaClusterTestKit}. */
final class TestKitBroker implements RunningBroker {

    private final KafkaClusterTestKit cluster;

    private TestKitBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static TestKitBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                // Without it the kit formats at an unstable metadata version and without the features a formatted
                // broker has by default (group.version: the consumer group protocol of KIP-848).
                .setBootstrapMetadata(BootstrapMetadata.fromVersions(MetadataVersion.LATEST_PRODUCTION, productionFeatures(),
                        "vqa-test-kit"))
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        for (Map.Entry<String, String> e : BrokerSettings.singleNode().entrySet()) {
            builder.setConfigProp(e.getKey(), e.getValue());
        }
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestKitBroker(cluster);
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The default level of every production feature at the latest metadata version, as {@code kafka-storage format} sets. */
    private static Map<String, Short> productionFeatures() {
        Map<String, Short> levels = new HashMap<>();
        for (Feature f : Feature.PRODUCTION_FEATURES) {
            if (f != Feature.KRAFT_VERSION) { // the quorum's own version, set by the kit itself
                levels.put(f.featureName(), f.defaultLevel(MetadataVersion.LATEST_PRODUCTION));
            }
        }
        return levels;
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void stop() throws Exception {
        cluster.close();
    }
}
