package dev.vqamini.kafka;

import dev.vqamini.kafka.ServiceAcls.Grant;
import dev.vqamini.kafka.ServiceAcls.Service;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.stream.Collectors;

/** The ACL table, and deploy/kafka/acls.sh and deploy/k8s/strimzi/kafka-users.yaml saying the same. */
class ServiceAclsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void eachServiceGetsWhatItsWorkNeedsAndNoMore() {
        Set<String> scorer = lines(Service.SCORER);
        assertTrue(scorer.contains("READ TOPIC vqa.fragments LITERAL"));
        assertTrue(scorer.contains("READ GROUP vqa-scorer LITERAL"));
        assertTrue(scorer.contains("WRITE TOPIC vqa.video-scores LITERAL"));
        assertFalse(scorer.contains("WRITE TOPIC vqa.rollouts LITERAL"));
        assertTrue(lines(Service.INGEST).contains("READ GROUP vqa-ingest LITERAL"));
        assertTrue(lines(Service.PRUNING).stream().noneMatch(l -> l.contains(" GROUP ")), "pruning uses assign()");
        // metrics-service writes its internal topics, and its rollout controller the rollouts and its decisions
        assertEquals(Set.of("WRITE TOPIC vqa-metrics-service PREFIXED", "WRITE TOPIC vqa.rollouts LITERAL",
                "WRITE TOPIC vqa.rollout-decisions LITERAL"), lines(Service.METRICS).stream().filter(l -> l.startsWith("WRITE TOPIC"))
                .collect(Collectors.toSet()));
        assertTrue(lines(Service.METRICS).contains("READ GROUP vqa-rollout-controller LITERAL"), "the controller's election");
        assertTrue(lines(Service.METRICS).contains("WRITE TRANSACTIONAL_ID vqa-metrics-service PREFIXED"));

        for (Service s : Service.values()) {
            Set<String> mine = lines(s);
            for (TopicSpec t : TopicCatalog.all()) {
                assertTrue(mine.contains("DESCRIBE TOPIC " + t.name() + " LITERAL"), s + " describes " + t.name());
                assertTrue(mine.contains("DESCRIBE_CONFIGS TOPIC " + t.name() + " LITERAL"), s + " checks " + t.name());
                assertFalse(mine.contains("CREATE TOPIC " + t.name() + " LITERAL"), "operators create " + t.name());
            }
            assertTrue(ServiceAcls.grants(s).stream().noneMatch(g -> g.type() == ResourceType.CLUSTER), s + ": no cluster ACL");
            assertTrue(ServiceAcls.grants(s).stream().noneMatch(g -> g.operation() == AclOperation.ALL), s + ": no ALL");
        }
    }

    @Test
    void bindingsCarryTheConfiguredUser() {
        ServiceAcls acls = ServiceAcls.defaults().withUser(Service.SCORER, "scorer-prod");
        assertEquals("User:scorer-prod", acls.principal(Service.SCORER));
        assertEquals("User:ingest-service", acls.principal(Service.INGEST));
        for (AclBinding b : acls.bindings(Service.SCORER)) {
            assertEquals("User:scorer-prod", b.entry().principal());
            assertEquals("*", b.entry().host());
        }
        int total = Arrays.stream(Service.values()).mapToInt(s -> ServiceAcls.grants(s).size()).sum();
        assertEquals(total, acls.all().size());
        assertEquals(total, new TreeSet<>(acls.table()).size(), "no duplicate grant");
    }

    @Test
    void aclsScriptGrantsExactlyTheTable() throws Exception {
        // Run the script itself with `echo` in place of kafka-acls.sh: one line of arguments per call.
        ProcessBuilder pb = new ProcessBuilder("bash", DEPLOY.resolve("kafka/acls.sh").toString(), "broker:9093",
                "admin.properties").redirectErrorStream(true);
        pb.environment().put("KAFKA_ACLS", "echo");
        Process run = pb.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);

        Set<String> granted = new TreeSet<>();
        for (String line : out.split("\n")) {
            List<String> a = List.of(line.trim().split("\\s+"));
            assertEquals("broker:9093", a.get(a.indexOf("--bootstrap-server") + 1), line);
            assertEquals("admin.properties", a.get(a.indexOf("--command-config") + 1), line);
            if (!a.contains("--add")) {
                continue; // the final --list
            }
            String principal = a.get(a.indexOf("--allow-principal") + 1);
            String pattern = a.contains("--resource-pattern-type")
                    ? a.get(a.indexOf("--resource-pattern-type") + 1).toUpperCase(Locale.ROOT) : "LITERAL";
            List<String> ops = new ArrayList<>();
            List<String> resources = new ArrayList<>();
            for (int i = 0; i < a.size() - 1; i++) {
                switch (a.get(i)) {
                    case "--operation" -> ops.add(snake(a.get(i + 1)));
                    case "--topic" -> resources.add("TOPIC " + a.get(i + 1));
                    case "--group" -> resources.add("GROUP " + a.get(i + 1));
                    case "--transactional-id" -> resources.add("TRANSACTIONAL_ID " + a.get(i + 1));
                    case "--cluster" -> resources.add("CLUSTER kafka-cluster");
                    default -> { }
                }
            }
            for (String op : ops) {
                for (String r : resources) {
                    assertTrue(granted.add(principal + " " + op + " " + r + " " + pattern), "granted twice: " + line);
                }
            }
        }
        assertEquals(new TreeSet<>(ServiceAcls.defaults().table()), granted);
    }

    @Test
    void strimziUsersGrantExactlyTheTable() throws IOException {
        Set<String> granted = new TreeSet<>();
        try (Reader in = Files.newBufferedReader(DEPLOY.resolve("k8s/strimzi/kafka-users.yaml"))) {
            for (Object doc : new Yaml().loadAll(in)) {
                Map<?, ?> user = (Map<?, ?>) doc;
                assertEquals("kafka.strimzi.io/v1beta2", user.get("apiVersion"));
                assertEquals("KafkaUser", user.get("kind"));
                String name = (String) ((Map<?, ?>) user.get("metadata")).get("name");
                Map<?, ?> spec = (Map<?, ?>) user.get("spec");
                assertEquals("scram-sha-512", ((Map<?, ?>) spec.get("authentication")).get("type"), name);
                Map<?, ?> authorization = (Map<?, ?>) spec.get("authorization");
                assertEquals("simple", authorization.get("type"), name);
                if (name.equals("keda-scaler")) {
                    continue; // not a service: KEDA's lag reader
                }
                for (Object o : (List<?>) authorization.get("acls")) {
                    Map<?, ?> acl = (Map<?, ?>) o;
                    Map<?, ?> r = (Map<?, ?>) acl.get("resource");
                    String type = snake((String) r.get("type"));
                    for (Object op : (List<?>) acl.get("operations")) {
                        assertTrue(granted.add("User:" + name + " " + snake((String) op) + " " + type + " " + r.get("name")
                                + " " + ((String) r.get("patternType")).toUpperCase(Locale.ROOT)), name + " twice: " + acl);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(ServiceAcls.defaults().table()), granted);
    }

    /** {@code DescribeConfigs} or {@code transactionalId} as {@code DESCRIBE_CONFIGS}, {@code TRANSACTIONAL_ID}. */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Set<String> lines(Service s) {
        Set<String> out = new TreeSet<>();
        for (Grant g : ServiceAcls.grants(s)) {
            out.add(g.operation() + " " + g.type() + " " + g.name() + " " + g.pattern());
        }
        return out;
    }
}
