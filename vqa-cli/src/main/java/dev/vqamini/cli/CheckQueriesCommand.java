package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vqamini.deploy.DeployQueries;
import dev.vqamini.deploy.DeployQueries.Query;
import dev.vqamini.deploy.PrometheusApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vqa check-queries}: every query of the Grafana dashboards and every Prometheus rule in {@code deploy/},
 * evaluated on a running Prometheus; each must be valid and return series.
 */
@Command(name = "check-queries", mixinStandardHelpOptions = true,
        description = {"Evaluate every PromQL query the deployment uses against a running Prometheus:",
                "  the targets and variables of deploy/grafana/dashboards/*.json and the rules of deploy/prometheus/rules/*.yml.",
                "A query passes when Prometheus accepts it and it returns at least one series; an alert passes when its",
                "expression is accepted and the quantity it compares (the expression without its thresholds) returns series.",
                "Every loaded rule must also have evaluated without error. Failing queries are retried until --wait ends,",
                "since a rate needs two scrapes and a recording rule one evaluation. `vqa demo --prometheus` gives a Prometheus",
                "scraping the whole system with this deployment's own configuration."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:every query passed", "1:a query is invalid or returns no series"})
public final class CheckQueriesCommand implements Callable<Integer> {

    @Option(names = "--prometheus", required = true, paramLabel = "URL", description = "Prometheus base URL, e.g. http://localhost:9090.")
    String prometheus;

    @Option(names = "--deploy", paramLabel = "DIR", description = "The deploy/ folder (default: the repository's).")
    Path deploy;

    @Option(names = "--wait", defaultValue = "90", paramLabel = "SECONDS",
            description = "How long failing queries are retried (default ${DEFAULT-VALUE} s).")
    int waitSeconds;

    @Option(names = "--json", description = "One JSON object: each query with its status, and the summary.")
    boolean json;

    /** One query's verdict. */
    record Check(Query query, int series, String problem) {
    }

    @Override
    public Integer call() throws Exception {
        Path dir = deploy != null ? deploy : VqaCommand.root().resolve("deploy");
        List<Query> queries = DeployQueries.collect(dir);
        PrometheusApi api = new PrometheusApi(prometheus);
        Map<Query, Check> checks = new LinkedHashMap<>();
        List<String> ruleProblems = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            for (Query q : queries) {
                Check previous = checks.get(q);
                if (previous == null || previous.problem() != null) {
                    checks.put(q, check(api, q));
                }
            }
            ruleProblems = api.rules().stream().filter(r -> !r.health().equals("ok"))
                    .map(r -> "rule " + r.name() + ": health " + r.health() + (r.lastError().isEmpty() ? "" : " (" + r.lastError() + ")")).toList();
            boolean failing = ruleProblems.size() + checks.values().stream().filter(c -> c.problem() != null).count() > 0;
            if (!failing || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(5000);
        }
        List<String> down = api.downTargets();
        long failed = checks.values().stream().filter(c -> c.problem() != null).count() + ruleProblems.size() + down.size();
        if (json) {
            printJson(checks, ruleProblems, down, failed);
        } else {
            for (Check c : checks.values()) {
                System.out.printf("%-4s %4d  %s%n      %s%n", c.problem() == null ? "ok" : "FAIL", c.series(), c.query().source(),
                        c.problem() == null ? c.query().expr().replaceAll("\\s+", " ") : c.problem());
            }
            ruleProblems.forEach(p -> System.out.println("FAIL " + p));
            down.forEach(t -> System.out.println("FAIL target down: " + t));
            System.out.printf("%d queries (%d dashboard, %d rules, %d canary gates) on %s: %s%n", checks.size(),
                    queries.stream().filter(q -> q.kind() == DeployQueries.Kind.PANEL || q.kind() == DeployQueries.Kind.VARIABLE).count(),
                    queries.stream().filter(q -> q.kind() == DeployQueries.Kind.RECORD || q.kind() == DeployQueries.Kind.ALERT).count(),
                    queries.stream().filter(q -> q.kind() == DeployQueries.Kind.GATE).count(),
                    api.baseUrl(), failed == 0 ? "all valid, all return data" : failed + " problems");
        }
        return failed == 0 ? 0 : 1;
    }

    private static Check check(PrometheusApi api, Query q) throws Exception {
        PrometheusApi.Result asWritten = api.query(q.evaluable());
        if (asWritten.error() != null) {
            return new Check(q, 0, "invalid: " + asWritten.error() + " in " + q.evaluable());
        }
        PrometheusApi.Result measured = q.kind() == DeployQueries.Kind.ALERT ? api.query(q.measured()) : asWritten;
        if (measured.error() != null) {
            return new Check(q, 0, "its quantity " + q.measured() + " is invalid: " + measured.error());
        }
        return new Check(q, measured.series(), measured.series() > 0 ? null : "no series: " + q.measured());
    }

    private static void printJson(Map<Query, Check> checks, List<String> ruleProblems, List<String> down, long failed) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("queries");
        for (Check c : checks.values()) {
            ObjectNode o = list.addObject();
            o.put("kind", c.query().kind().name().toLowerCase()).put("source", c.query().source()).put("expr", c.query().expr())
                    .put("evaluated", c.query().measured()).put("series", c.series()).put("ok", c.problem() == null);
            if (c.problem() != null) {
                o.put("problem", c.problem());
            }
        }
        ruleProblems.forEach(root.putArray("rule_problems")::add);
        down.forEach(root.putArray("targets_down")::add);
        root.put("problems", failed);
        System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
