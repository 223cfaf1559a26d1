package dev.vqamini.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression the deployment relies on: the targets and query variables of the Grafana dashboards in
 * {@code grafana/dashboards/*.json}, the recording and alerting rules in {@code prometheus/rules/*.yml}, and the
 * canary gates for Flagger and Argo Rollouts in {@code rollouts/*.yaml} (MetricTemplate and AnalysisTemplate).
 */
public final class DeployQueries {

    /** Where a query comes from. */
    public enum Kind { PANEL, VARIABLE, RECORD, ALERT, GATE }

    /**
     * One query as written, and what to evaluate for it.
     *
     * @param source where it is written (file and panel title, variable or rule name)
     * @param expr   the expression as written
     */
    public record Query(Kind kind, String source, String expr) {

        private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?");
        /** A comparison with a number, as alerts end: {@code > 0.5}, {@code == bool -1}, {@code < 1e3}. */
        private static final Pattern THRESHOLD = Pattern.compile("\\s*(==|!=|>=|<=|>|<)\\s*(bool\\s+)?-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
        /** A Flagger or Argo template variable: {@code {{ variables.candidate }}}, {@code {{args.candidate}}}. */
        private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\{\\s*[\\w.]+\\s*}}");
        private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);

        /**
         * The expression Prometheus can run: Grafana's interval variables become 1m, the others {@code .*} (the
         * dashboards' "All"), and a {@code label_values(expr, label)} variable becomes {@code expr}.
         */
        public String evaluable() {
            Matcher lv = LABEL_VALUES.matcher(expr);
            String e = lv.matches() ? lv.group(1) : expr;
            Matcher m = VARIABLE.matcher(e);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, m.group(1).startsWith("__") ? "1m" : Matcher.quoteReplacement(".*"));
            }
            return TEMPLATE_VARIABLE.matcher(m.appendTail(out).toString()).replaceAll(Matcher.quoteReplacement(".*"));
        }

        /**
         * What must return series while the system runs: an alert's expression without its thresholds (an alert that
         * is not firing returns nothing, but the quantity it watches must exist), any other query as it is.
         */
        public String measured() {
            return kind == Kind.ALERT ? THRESHOLD.matcher(evaluable()).replaceAll("") : evaluable();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DeployQueries() {
    }

    /** The queries of {@code deployDir} (the repository's {@code deploy/}), dashboards first, in file order. */
    public static List<Query> collect(Path deployDir) {
        List<Query> out = new ArrayList<>();
        for (Path f : files(deployDir.resolve("grafana/dashboards"), ".json")) {
            JsonNode d = read(JSON, f);
            String name = f.getFileName() + ": ";
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    JsonNode q = v.path("query");
                    out.add(new Query(Kind.VARIABLE, name + "variable " + v.path("name").asText(), q.isObject() ? q.path("query").asText() : q.asText()));
                }
            }
            panels(d.path("panels"), name, out);
        }
        for (Path f : files(deployDir.resolve("prometheus/rules"), ".yml")) {
            for (JsonNode g : read(YAML, f).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    boolean alert = r.has("alert");
                    out.add(new Query(alert ? Kind.ALERT : Kind.RECORD, f.getFileName() + ": " + (alert ? "alert " + r.path("alert").asText()
                            : "record " + r.path("record").asText()), r.path("expr").asText().strip()));
                }
            }
        }
        Path gates = deployDir.resolve("rollouts");
        if (Files.isDirectory(gates)) {
            for (Path f : files(gates, ".yaml")) {
                for (JsonNode doc : readAll(f)) {
                    String name = f.getFileName() + ": " + doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
                    if (doc.path("spec").has("query")) { // Flagger MetricTemplate
                        out.add(new Query(Kind.GATE, name, doc.path("spec").path("query").asText().strip()));
                    }
                    for (JsonNode m : doc.path("spec").path("metrics")) { // Argo AnalysisTemplate
                        JsonNode q = m.path("provider").path("prometheus").path("query");
                        if (!q.isMissingNode()) {
                            out.add(new Query(Kind.GATE, name + " metric " + m.path("name").asText(), q.asText().strip()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> readAll(Path f) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
            return docs.readAll();
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
    }

    private static void panels(JsonNode panels, String name, List<Query> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    out.add(new Query(Kind.PANEL, name + "panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(), t.path("expr").asText()));
                }
            }
            panels(p.path("panels"), name, out); // rows hold their panels when collapsed
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder (expected the repository's deploy/ layout)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path f) {
        try {
            return mapper.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
    }
}
