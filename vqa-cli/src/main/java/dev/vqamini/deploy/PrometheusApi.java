package dev.vqamini.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The parts of Prometheus' HTTP API (v1) that tell whether queries are valid and return data. */
public final class PrometheusApi {

    /** An instant query's outcome: how many series it returned, or Prometheus' error. */
    public record Result(int series, String error) {
        public boolean ok() {
            return error == null && series > 0;
        }
    }

    /** A loaded rule's state after its last evaluation ({@code health} ok, err or unknown). */
    public record RuleHealth(String name, String health, String lastError) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PrometheusApi(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return base;
    }

    /** Evaluates {@code expr} now ({@code /api/v1/query}). */
    public Result query(String expr) throws IOException, InterruptedException {
        JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!r.path("status").asText().equals("success")) {
            return new Result(0, r.path("errorType").asText() + ": " + r.path("error").asText());
        }
        JsonNode data = r.path("data");
        return new Result(data.path("resultType").asText().equals("scalar") ? 1 : data.path("result").size(), null);
    }

    /** Every rule Prometheus loaded, with its health ({@code /api/v1/rules}). */
    public List<RuleHealth> rules() throws IOException, InterruptedException {
        List<RuleHealth> out = new ArrayList<>();
        for (JsonNode g : get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.add(new RuleHealth(r.path("name").asText(), r.path("health").asText(), r.path("lastError").asText("")));
            }
        }
        return out;
    }

    /** Active targets whose last scrape failed ({@code /api/v1/targets}), each as job, scrape URL and error. */
    public List<String> downTargets() throws IOException, InterruptedException {
        List<String> down = new ArrayList<>();
        for (JsonNode t : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
            if (!t.path("health").asText().equals("up")) {
                down.add(t.path("labels").path("job").asText() + " " + t.path("scrapeUrl").asText() + " (" + t.path("health").asText()
                        + (t.path("lastError").asText().isEmpty() ? "" : ": " + t.path("lastError").asText()) + ")");
            }
        }
        return down;
    }

    /** Whether Prometheus answers {@code /-/ready}. */
    public boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 400 && r.statusCode() != 422) { // 400/422 carry a query's error as JSON
            throw new IOException("GET " + base + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
