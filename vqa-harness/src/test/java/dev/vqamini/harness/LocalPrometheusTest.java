package dev.vqamini.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployed Prometheus configuration pointed at this host: jobs and rules kept, only the targets moved. */
class LocalPrometheusTest {

    private static final String DEPLOYED = """
            global: {scrape_interval: 5s}
            rule_files: [rules/*.yml]
            scrape_configs:
              - job_name: vqa-scorer
                metrics_path: /q/metrics
                dns_sd_configs: [{names: [scorer-service], type: A, port: 8082}]
              - job_name: vqa-ingest
                static_configs: [{targets: ["ingest-service:8081"], labels: {tier: edge}}]
            """;

    @Test
    void everyJobScrapesItsServiceOnLocalhostAndRulesResolveBesideTheDeployedFile(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), DEPLOYED);
        JsonNode local = LocalPrometheus.localConfig(config, Map.of("scorer-service", 41001, "ingest-service", 41002));
        JsonNode scorer = local.path("scrape_configs").path(0);
        assertEquals("vqa-scorer", scorer.path("job_name").asText());
        assertEquals("/q/metrics", scorer.path("metrics_path").asText());
        assertFalse(scorer.has("dns_sd_configs"));
        assertEquals("localhost:41001", scorer.path("static_configs").path(0).path("targets").path(0).asText());
        JsonNode ingest = local.path("scrape_configs").path(1).path("static_configs").path(0);
        assertEquals("localhost:41002", ingest.path("targets").path(0).asText());
        assertEquals("edge", ingest.path("labels").path("tier").asText());
        assertEquals(dir.resolve("rules/*.yml").toString(), local.path("rule_files").path(0).asText());
        assertEquals("5s", local.path("global").path("scrape_interval").asText());
    }

    @Test
    void aJobWhoseServiceIsNotRunningIsNamed(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), DEPLOYED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalPrometheus.localConfig(config, Map.of("scorer-service", 41001)));
        assertTrue(e.getMessage().contains("job vqa-ingest scrapes ingest-service"), e.getMessage());
    }
}
