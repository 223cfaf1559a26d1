package dev.vqamini.kafka;

import dev.vqamini.testkit.KafkaBrokerExtension;
import dev.vqamini.testkit.TestKafka;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TopicBootstrap against a real broker, on throw-away topic names so tests do not interfere. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicBootstrapTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void secondRunChangesNothing(TestKafka kafka) {
        List<TopicSpec> specs = uniqueSpecs();
        try (Admin admin = admin(kafka)) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, TIMEOUT, (short) 1);
            TopicBootstrapReport first = bootstrap.ensure(specs);
            assertEquals(names(specs), first.created());
            assertTrue(first.consistent(), first.summary());

            TopicBootstrapReport second = bootstrap.ensure(specs);
            assertEquals(List.of(), second.created());
            assertEquals(names(specs), second.existing());
            assertTrue(second.consistent(), second.summary());
        }
    }

    @Test
    void realCatalogIsCreatedAndConsistent(TestKafka kafka) {
        TopicBootstrapReport report = TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(kafka.bootstrapServers(), "test"), TIMEOUT, (short) 1);
        assertTrue(report.consistent(), report.summary());
        TopicBootstrapReport again = TopicBootstrap.ensureCatalog(KafkaClientSettings.plaintext(kafka.bootstrapServers(), "test"), TIMEOUT, (short) 1);
        assertEquals(List.of(), again.created());
        assertEquals(TopicCatalog.all().size(), again.existing().size());
    }

    @Test
    void wrongConfigAndPartitionsAreReported(TestKafka kafka) throws Exception {
        List<TopicSpec> specs = uniqueSpecs();
        TopicSpec compacted = specs.get(1);
        try (Admin admin = admin(kafka)) {
            // Someone made the compacted topic by hand with 1 partition and delete policy.
            admin.createTopics(List.of(new NewTopic(compacted.name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1",
                            "max.message.bytes", Integer.toString(TopicCatalog.LARGE_MESSAGE_BYTES))))).all().get(30, TimeUnit.SECONDS);
            TopicBootstrap bootstrap = new TopicBootstrap(admin, TIMEOUT, (short) 1);
            bootstrap.ensure(specs);
            // ...and someone shortened retention of the other one afterwards.
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, specs.get(0).name());
            admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);

            TopicBootstrapReport report = bootstrap.ensure(specs);
            assertEquals(List.of(
                    new TopicMismatch(specs.get(0).name(), "retention.ms", "86400000", "1000"),
                    new TopicMismatch(compacted.name(), "partitions", "3", "1"),
                    new TopicMismatch(compacted.name(), "cleanup.policy", "compact", "delete")),
                    sorted(report.mismatches(), specs));
            IllegalStateException e = assertThrows(IllegalStateException.class, report::requireConsistent);
            assertTrue(e.getMessage().contains(compacted.name() + ": cleanup.policy is delete, expected compact"),
                    e.getMessage());
        }
    }

    @Test
    void concurrentRunsCreateEachTopicOnce(TestKafka kafka) throws Exception {
        List<TopicSpec> specs = uniqueSpecs();
        int services = 4;
        ExecutorService pool = Executors.newFixedThreadPool(services);
        try (Admin admin = admin(kafka)) {
            List<Callable<TopicBootstrapReport>> runs = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                runs.add(() -> new TopicBootstrap(admin, TIMEOUT, (short) 1).ensure(specs));
            }
            List<String> created = new ArrayList<>();
            for (Future<TopicBootstrapReport> f : pool.invokeAll(runs)) {
                TopicBootstrapReport r = f.get();
                assertTrue(r.consistent(), r.summary());
                created.addAll(r.created());
            }
            assertEquals(names(specs), created.stream().sorted().toList(), "each topic created by exactly one run");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Groups mismatches by topic in spec order; within a topic the report's own order is kept (stable sort). */
    private static List<TopicMismatch> sorted(List<TopicMismatch> mismatches, List<TopicSpec> specs) {
        List<String> order = names(specs);
        return mismatches.stream().sorted(Comparator.comparingInt(m -> order.indexOf(m.topic()))).toList();
    }

    private static List<TopicSpec> uniqueSpecs() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return List.of(
                new TopicSpec("it.a-" + suffix, 2, TopicSpec.DELETE, 86_400_000L, 2 * 1024 * 1024, "k", "t"),
                new TopicSpec("it.b-" + suffix, 3, TopicSpec.COMPACT, -1L, TopicCatalog.LARGE_MESSAGE_BYTES, "k", "t"));
    }

    private static List<String> names(List<TopicSpec> specs) {
        return specs.stream().map(TopicSpec::name).toList();
    }

    private static Admin admin(TestKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
