package dev.vqamini.e2e;

import static dev.vqamini.e2e.DeployTools.DEPLOY;
import static dev.vqamini.e2e.DeployTools.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vqamini.deploy.DeployQueries;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment's files as their tools read them: Prometheus' configuration and rules through promtool, the Grafana
 * dashboards against the provisioned datasource, docker-compose.yml against the repository it builds from, the Kafka
 * topic script against the topic catalog, and the Kubernetes overlays rendered by kustomize. Whether every query
 * returns data from the running system is {@link DemoEndToEndTest}'s part.
 */
class DeployFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("ingest-service", "scorer-service", "pruning-service", "metrics-service");
    /** ScorerSettings' default vqa.scorer.group-id: the consumer group KEDA must watch. */
    private static final String SCORER_GROUP = "vqa-scorer";

    @Test
    void prometheusConfigurationAndRulesPassPromtool() throws Exception {
        Path promtool = DeployTools.require("check the Prometheus configuration", "promtool");
        String out = DeployTools.run(List.of(promtool.toString(), "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString()));
        assertTrue(out.contains("SUCCESS: 2 rule files found"), out);
        List<String> rules = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        list(DEPLOY.resolve("prometheus/rules"), ".yml").forEach(f -> rules.add(f.toString()));
        out = DeployTools.run(rules);
        assertEquals(2, out.split("SUCCESS").length - 1, out);
    }

    @Test
    void everyDashboardPanelQueriesTheProvisionedDatasourceWithDefinedVariables() throws Exception {
        String datasource = YAML.readTree(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").path(0).path("uid").asText();
        Set<String> uids = new HashSet<>();
        List<Path> boards = list(DEPLOY.resolve("grafana/dashboards"), ".json");
        assertEquals(3, boards.size(), "quality, efficiency, operations: " + boards);
        for (Path f : boards) {
            JsonNode d = JSON.readTree(f.toFile());
            assertTrue(uids.add(d.path("uid").asText()), "dashboard uid used twice: " + f);
            Set<String> variables = new HashSet<>();
            d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                String where = f.getFileName() + " panel " + p.path("title").asText();
                assertTrue(ids.add(p.path("id").asInt()), "panel id used twice: " + where);
                int x = p.path("gridPos").path("x").asInt();
                assertTrue(x + p.path("gridPos").path("w").asInt() <= 24, "wider than the grid: " + where);
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertEquals(datasource, p.path("datasource").path("uid").asText(), where);
                assertFalse(p.path("targets").isEmpty(), "no query: " + where);
                for (JsonNode t : p.path("targets")) {
                    assertEquals(datasource, t.path("datasource").path("uid").asText(), where);
                    Matcher m = Pattern.compile("\\$\\{?(\\w+)").matcher(t.path("expr").asText());
                    while (m.find()) {
                        assertTrue(m.group(1).startsWith("__") || variables.contains(m.group(1)), "undefined $" + m.group(1) + " in " + where);
                    }
                }
            }
        }
        List<DeployQueries.Query> queries = DeployQueries.collect(DEPLOY);
        assertTrue(queries.stream().anyMatch(q -> q.kind() == DeployQueries.Kind.ALERT), "alerts collected");
        assertTrue(queries.stream().filter(q -> q.kind() == DeployQueries.Kind.PANEL).count() >= 30, "panel queries collected");
        List<DeployQueries.Query> gates = queries.stream().filter(q -> q.kind() == DeployQueries.Kind.GATE).toList();
        assertEquals(4, gates.size(), "Flagger's two MetricTemplates and Argo's two metrics: " + gates);
        for (DeployQueries.Query g : gates) {
            assertTrue(g.expr().contains("{{") && !g.evaluable().contains("{{"), g.source() + ": its variable becomes a regex");
            assertTrue(g.evaluable().contains("model_version=~\".*\""), g.evaluable());
        }
    }

    @Test
    void anAlertsMeasuredQuantityIsItsExpressionWithoutThresholds() {
        DeployQueries.Query q = new DeployQueries.Query(DeployQueries.Kind.ALERT, "t",
                "deriv(x{job=\"a\"}[10m]) > 0.5 and y{model_version=~\"$model_version\"} >= bool 64 or z == -1e3");
        assertEquals("deriv(x{job=\"a\"}[10m]) and y{model_version=~\".*\"} or z", q.measured());
        assertEquals("rate(a[1m])", new DeployQueries.Query(DeployQueries.Kind.PANEL, "t", "rate(a[$__rate_interval])").measured());
        assertEquals("up", new DeployQueries.Query(DeployQueries.Kind.VARIABLE, "t", "label_values(up, job)").evaluable());
    }

    @Test
    void composeBuildsEveryServiceScalesScorersAndHasAGpuProfile() throws Exception {
        JsonNode compose;
        try (var in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = JSON.valueToTree(new Yaml().load(in)); // merge keys resolved, as Compose does
        }
        JsonNode services = compose.path("services");
        for (String s : List.of("kafka", "kafka-topics", "prometheus", "grafana", "scorer-service-gpu")) {
            assertTrue(services.has(s), "compose service " + s);
        }
        Map<String, String> hostPorts = new HashMap<>();
        for (String s : SERVICES) {
            JsonNode build = services.path(s).path("build");
            assertEquals(s, build.path("args").path("SERVICE").asText(), s + " build arg");
            assertTrue(Files.isRegularFile(ROOT.resolve(build.path("dockerfile").asText())), s + " Dockerfile");
            assertEquals("kafka:19092", services.path(s).path("environment").path("VQA_KAFKA").asText(), s);
            for (JsonNode p : services.path(s).path("ports")) {
                String[] parts = p.asText().split(":");
                assertEquals(port(s), parts[parts.length - 1], s + " container port is its quarkus.http.port");
                if (parts.length > 1) {
                    assertEquals(null, hostPorts.put(parts[0], s), "host port " + parts[0] + " used twice");
                }
            }
        }
        for (String scorer : List.of("scorer-service", "scorer-service-gpu")) {
            services.path(scorer).path("ports").forEach(p -> assertFalse(p.asText().contains(":"),
                    scorer + " publishes a fixed host port, so --scale would clash: " + p.asText()));
        }
        JsonNode gpu = services.path("scorer-service-gpu");
        assertTrue(gpu.path("profiles").toString().contains("\"gpu\""), "gpu profile");
        JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").path(0);
        assertEquals("nvidia", device.path("driver").asText());
        assertTrue(device.path("capabilities").toString().contains("\"gpu\""));
        assertEquals("cuda", gpu.path("environment").path("VQA_SCORER_PROVIDER").asText());
        assertTrue(gpu.path("networks").path("default").path("aliases").toString().contains("\"scorer-service\""),
                "the GPU scorer answers to scorer-service, so Prometheus' DNS discovery finds it");
        String gpuDockerfile = Files.readString(ROOT.resolve(gpu.path("build").path("dockerfile").asText()));
        assertTrue(gpuDockerfile.contains("-Pgpu") && gpuDockerfile.contains("nvidia/cuda"), "Dockerfile.gpu builds -Pgpu on a CUDA image");
        for (JsonNode s : services) {
            for (JsonNode v : s.path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./deploy") || source.equals("./docker-compose.yml")) {
                    assertTrue(Files.exists(ROOT.resolve(source)), "mounted but missing: " + source);
                }
            }
        }
        // Prometheus discovers each job's service by its compose name, on the port the service listens on.
        JsonNode prometheus = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        Set<String> jobs = new HashSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            JsonNode dns = job.path("dns_sd_configs").path(0);
            String name = dns.path("names").path(0).asText();
            assertTrue(services.has(name), job.path("job_name") + " resolves " + name + ", a compose service");
            assertEquals(port(name), dns.path("port").asText(), job.path("job_name").asText());
            jobs.add(job.path("job_name").asText());
        }
        assertEquals(Set.of("vqa-ingest", "vqa-scorer", "vqa-pruning", "vqa-metrics"), jobs);
        assertTrue(services.path("prometheus").path("volumes").toString().contains("./deploy/prometheus:/etc/prometheus"));
        String home = services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertTrue(Files.isRegularFile(DEPLOY.resolve("grafana/dashboards").resolve(Path.of(home).getFileName())), home);
        assertEquals(Path.of(home).getParent().toString(), YAML.readTree(DEPLOY.resolve("grafana/provisioning/dashboards/vqa.yml").toFile())
                .path("providers").path(0).path("options").path("path").asText(), "Grafana loads dashboards from where compose mounts them");
    }

    @Test
    void topicScriptCreatesExactlyTheCatalogsTopics() throws IOException {
        Map<String, TopicSpec> catalog = new HashMap<>();
        TopicCatalog.all().forEach(t -> catalog.put(t.name(), t));
        List<String> lines = Files.readAllLines(DEPLOY.resolve("kafka/create-topics.sh")).stream().filter(l -> l.startsWith("topic ")).toList();
        assertEquals(catalog.size(), lines.size(), "one line per catalog topic");
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            TopicSpec t = catalog.get(f[1]);
            assertTrue(t != null, "not in TopicCatalog: " + line);
            assertEquals(List.of(Integer.toString(t.partitions()), t.cleanupPolicy(), Long.toString(t.retentionMs()),
                    Integer.toString(t.maxMessageBytes())), List.of(f[2], f[3], f[4], f[5]), line);
        }
    }

    @Test
    void kubernetesOverlaysRenderWithProbesResourcesAutoscalingAndGpus() throws Exception {
        Path kubectl = DeployTools.require("render the kustomize overlays", "kubectl", "kustomize");
        Map<String, List<JsonNode>> cpu = render(kubectl, "overlays/cpu");
        Map<String, List<JsonNode>> gpu = render(kubectl, "overlays/gpu");
        for (Map<String, List<JsonNode>> overlay : List.of(cpu, gpu)) {
            assertEquals(SERVICES.size(), overlay.get("Deployment").size());
            for (JsonNode d : overlay.get("Deployment")) {
                String name = d.path("metadata").path("name").asText();
                JsonNode c = d.path("spec").path("template").path("spec").path("containers").path(0);
                assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText(), name);
                assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText(), name);
                assertEquals(port(name), c.path("ports").path(0).path("containerPort").asText(), name + " containerPort");
                assertEquals("http", c.path("ports").path(0).path("name").asText(), name);
                JsonNode res = c.path("resources");
                for (String r : List.of("requests/cpu", "requests/memory", "limits/memory")) {
                    assertFalse(res.at("/" + r).isMissingNode(), name + " " + r);
                }
            }
            Set<String> jobs = new HashSet<>();
            JsonNode selector = overlay.get("ServiceMonitor").get(0).path("spec").path("selector").path("matchLabels");
            String jobLabel = overlay.get("ServiceMonitor").get(0).path("spec").path("jobLabel").asText();
            for (JsonNode s : overlay.get("Service")) {
                selector.properties().forEach(e -> assertEquals(e.getValue().asText(),
                        s.path("metadata").path("labels").path(e.getKey()).asText(), "ServiceMonitor selects " + s.path("metadata").path("name")));
                jobs.add(s.path("metadata").path("labels").path(jobLabel).asText());
                assertEquals("http", s.path("spec").path("ports").path(0).path("name").asText());
            }
            assertEquals(Set.of("vqa-ingest", "vqa-scorer", "vqa-pruning", "vqa-metrics"), jobs, "job labels the rules select");
            JsonNode scaled = overlay.get("ScaledObject").get(0).path("spec");
            assertEquals("scorer-service", scaled.path("scaleTargetRef").path("name").asText());
            JsonNode trigger = scaled.path("triggers").path(0);
            assertEquals("kafka", trigger.path("type").asText());
            assertEquals(TopicCatalog.FRAGMENTS.name(), trigger.path("metadata").path("topic").asText());
            assertEquals(SCORER_GROUP, trigger.path("metadata").path("consumerGroup").asText());
            assertTrue(scaled.path("maxReplicaCount").asInt() <= TopicCatalog.FRAGMENTS.partitions(), "more scorers than partitions idle");
        }
        JsonNode gpuScorer = scorer(gpu);
        assertEquals("1", gpuScorer.path("resources").path("limits").path("nvidia.com/gpu").asText());
        assertTrue(gpuScorer.path("image").asText().contains("scorer-service-gpu"));
        assertTrue(gpuScorer.path("env").toString().contains("{\"name\":\"VQA_SCORER_PROVIDER\",\"value\":\"cuda\"}"), gpuScorer.path("env").toString());
        assertFalse(cpu.toString().contains("nvidia.com/gpu"), "the cpu overlay asks for no GPU");
        assertTrue(gpu.get("ScaledObject").get(0).path("spec").path("triggers").path(0).path("metadata").path("lagThreshold").asInt()
                > cpu.get("ScaledObject").get(0).path("spec").path("triggers").path(0).path("metadata").path("lagThreshold").asInt(),
                "a batching GPU scorer takes a larger backlog per replica");
    }

    private static JsonNode scorer(Map<String, List<JsonNode>> overlay) {
        return overlay.get("Deployment").stream().filter(d -> d.path("metadata").path("name").asText().equals("scorer-service"))
                .findFirst().orElseThrow().path("spec").path("template").path("spec").path("containers").path(0);
    }

    @Test
    void strimziRendersAThreeNodeKraftClusterEveryCatalogTopicAndTheServiceUsers() throws Exception {
        Path kubectl = DeployTools.require("render the Strimzi resources", "kubectl", "kustomize");
        Map<String, List<JsonNode>> strimzi = render(kubectl, "strimzi");
        JsonNode pool = strimzi.get("KafkaNodePool").get(0).path("spec");
        assertEquals(3, pool.path("replicas").asInt());
        assertEquals("[\"controller\",\"broker\"]", pool.path("roles").toString(), "combined nodes, as vqa broker runs");
        JsonNode config = strimzi.get("Kafka").get(0).path("spec").path("kafka").path("config");
        assertEquals(2, config.path("min.insync.replicas").asInt());
        assertEquals(3, config.path("offsets.topic.replication.factor").asInt());
        assertEquals(2, config.path("transaction.state.log.min.isr").asInt());
        assertEquals(TopicCatalog.all().size(), strimzi.get("KafkaTopic").size(), "one KafkaTopic per catalog topic");
        for (JsonNode t : strimzi.get("KafkaTopic")) {
            assertEquals(3, t.path("spec").path("replicas").asInt(), t.toString());
        }
        assertTrue(strimzi.get("KafkaUser").size() >= SERVICES.size(), "a user per service");
    }

    /** The kustomization in {@code deploy/k8s/<dir>} rendered by kustomize, resources grouped by kind. */
    private static Map<String, List<JsonNode>> render(Path tool, String kustomization) throws Exception {
        String dir = DEPLOY.resolve("k8s").resolve(kustomization).toString();
        String yaml = DeployTools.run(tool.getFileName().toString().equals("kustomize") ? List.of(tool.toString(), "build", dir)
                : List.of(tool.toString(), "kustomize", dir));
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
            }
        }
        return byKind;
    }

    /** The service's quarkus.http.port, from its application.properties. */
    private static String port(String service) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(service.replace("-gpu", "")).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p.getProperty("quarkus.http.port");
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
