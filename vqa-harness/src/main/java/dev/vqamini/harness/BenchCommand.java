package dev.vqamini.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.cli.TokenOption;
import dev.vqamini.cli.WeightsOption;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.EnergyMeter;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.prune.UnstructuredPruner;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.DoubleStream;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.vqamini.clips.View;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.onnx.InputFormat;
import java.io.IOException;

/**
 * {@code vqa bench --models ...}: the cost table of several model versions measured side by side in one run,
 * each in its own process (so peak memory is its own), with the quality their manifests recorded, and a PNG
 * chart of latency against parameters per recipe.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure model versions side by side: parameters present and non-zero, FLOPs per clip, ONNX bytes,",
                "CPU latency per 32 x 224 x 224 clip and peak memory (each model in a fresh process), with the SRCC/PLCC",
                "their pruning reports recorded. Writes a chart of latency against parameters (--chart)."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--models", split = ",", paramLabel = "M",
            description = "Bundles or weight files, the unpruned model first (ratios are against it).")
    List<Path> models;

    @Option(names = "--scorer", description = {"Instead: clips/s of scorer-service alone (fragments pre-loaded on the topic)",
            "with 1 and 2 instances, beside the model-only clips/s of the same version and clips, in one run."})
    boolean scorer;

    @Option(names = "--pipeline", description = {"Instead: videos/s end to end through ingest-service, Kafka and scorer-service",
            "with 1 and 2 scorer instances, beside decode + views + model in one process; with the fraction."})
    boolean pipeline;

    @Option(names = "--videos", defaultValue = "16", description = "Videos for --scorer / --pipeline (default ${DEFAULT-VALUE}).")
    int videos;

    @picocli.CommandLine.Mixin
    WeightsOption weights;

    @picocli.CommandLine.Mixin
    TokenOption token;

    @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per model after a warm-up.")
    int repeats;

    @Option(names = "--runs", defaultValue = "3",
            description = "Fresh processes per model, interleaved across models; the medians are reported (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--chart", paramLabel = "PNG", description = "Write a latency-vs-parameters chart here.")
    Path chart;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (scorer || pipeline) {
            RunnerOptions options = RunnerOptions.defaults().withThreads(threads);
            Path bundle = weights.path() != null && Files.isDirectory(weights.path()) ? weights.path() : null;
            List<Map<String, Object>> rows = new ServiceBench(videos, threads, Files.createTempDirectory("vqa-bench"),
                    weights.definition(options), bundle).withToken(token).run(pipeline);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } else {
                System.out.printf("%-48s %12s %-9s %s%n", "what", "throughput", "unit", "fraction of model-only");
                for (Map<String, Object> r : rows) {
                    System.out.printf("%-48s %12.3f %-9s %.2f%n", r.get("what"), (Double) r.get("throughput"), r.get("unit"),
                            (Double) r.get("fraction_of_model_only"));
                }
            }
            return 0;
        }
        if (models == null || models.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give --models, --scorer or --pipeline");
        }
        if (runs < 1 || repeats < 1) {
            throw new IllegalArgumentException("--runs and --repeats must be at least 1");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path m : models) {
            rows.add(describe(m));
        }
        // Interleaved runs, medians: ONNX Runtime's arena grows in power-of-two regions, so one process's peak
        // memory can land a region higher than the next; and drifting machine load spreads over all models.
        List<List<JsonNode>> measured = new ArrayList<>();
        models.forEach(m -> measured.add(new ArrayList<>()));
        for (int run = 1; run <= runs; run++) {
            for (int i = 0; i < models.size(); i++) {
                System.err.printf("bench: run %d/%d, %s%n", run, runs, models.get(i));
                measured.get(i).add(runWorker(models.get(i)));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            List<JsonNode> w = measured.get(i);
            rows.get(i).put("latency_s_per_clip", median(w.stream().mapToDouble(n -> n.get("latency_s_per_clip").asDouble())));
            rows.get(i).put("peak_memory_bytes", (long) median(w.stream().mapToDouble(n -> n.get("peak_memory_bytes").asLong())));
            rows.get(i).put("energy_source", w.get(0).path("energy_source").asText(EnergyMeter.CPU_TIME));
            rows.get(i).put("joules_per_clip", median(w.stream().mapToDouble(n -> n.path("joules_per_clip").asDouble(Double.NaN))));
            rows.get(i).put("cpu_s_per_clip", median(w.stream().mapToDouble(n -> n.path("cpu_s_per_clip").asDouble(Double.NaN))));
        }
        Map<String, Object> base = rows.get(0);
        for (Map<String, Object> r : rows) {
            r.put("params_ratio", ratio(r, base, "params_present"));
            r.put("flops_ratio", ratio(r, base, "flops_per_clip"));
            r.put("latency_ratio", ratio(r, base, "latency_s_per_clip"));
            r.put("memory_ratio", ratio(r, base, "peak_memory_bytes"));
        }
        if (chart != null) {
            writeChart(rows);
        }
        if (json) {
            rows.forEach(r -> r.replaceAll((k, v) -> v instanceof Double d && d.isNaN() ? null : v)); // JSON has no NaN
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        System.out.printf("energy: %s (J: RAPL package energy, whole machine; CPU-s: the worker process)%n", rows.get(0).get("energy_source"));
        System.out.printf("%-24s %-24s %11s %11s %9s %8s %9s %7s %9s %7s %8s %9s %7s %7s %8s%n", "version", "recipe", "params",
                "non-zero", "GFLOPs", "ONNX MB", "s/clip", "x", "mem MB", "x", "J/clip", "CPU-s/clip", "SRCC", "PLCC", "SRCC/up");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-24s %-24s %,11d %,11d %9.2f %8.1f %9.3f %7.2f %9.1f %7.2f %8.3f %9.3f %7.3f %7.3f %8.3f%n",
                    trim((String) r.get("version")), r.get("recipe"), (Long) r.get("params_present"), (Long) r.get("params_nonzero"),
                    (Long) r.get("flops_per_clip") / 1e9, (Long) r.get("onnx_bytes") / 1e6, (Double) r.get("latency_s_per_clip"),
                    (Double) r.get("latency_ratio"), (Long) r.get("peak_memory_bytes") / 1e6, (Double) r.get("memory_ratio"),
                    (Double) r.get("joules_per_clip"), (Double) r.get("cpu_s_per_clip"),
                    (Double) r.get("srcc_labels"), (Double) r.get("plcc_labels"), (Double) r.get("srcc_vs_parent"));
        }
        return 0;
    }

    private static double median(DoubleStream values) {
        return new Median().evaluate(values.toArray());
    }

    /** What a model is: counts and sizes, and the quality its pruning report recorded. */
    private Map<String, Object> describe(Path model) throws Exception {
        ModelDefinition d = ModelLoader.load(model);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toString());
        r.put("version", d.version());
        String recipe = d.notes().getOrDefault("recipe", "none");
        r.put("recipe", d.notes().containsKey("quantization") ? recipe + " + int8" : recipe);
        r.put("params_present", ModelComplexity.of(d.spec(), 32, 224, 224).parameters());
        r.put("params_nonzero", UnstructuredPruner.nonZero(d.weights()));
        r.put("flops_per_clip", ModelComplexity.of(d.spec(), 32, 224, 224).flops());
        long onnx = 0;
        for (var v : View.values()) {
            onnx += Files.isDirectory(model) ? Files.size(model.resolve(ModelBundle.onnxFile(v)))
                    : QualityModel.onnx(d, v, InputFormat.RGB_UINT8).length;
        }
        r.put("onnx_bytes", onnx);
        JsonNode report = Files.isDirectory(model)
                ? new ObjectMapper().readTree(model.resolve(ModelBundle.MANIFEST).toFile()).path("evaluation") : null;
        r.put("srcc_labels", report == null ? Double.NaN : report.path("srccLabels").asDouble(Double.NaN));
        r.put("plcc_labels", report == null ? Double.NaN : report.path("plccLabels").asDouble(Double.NaN));
        r.put("srcc_vs_parent", report == null ? Double.NaN : report.path("srccVsParent").asDouble(Double.NaN));
        return r;
    }

    /** Runs `vqa bench-worker` in a fresh JVM with this process's class path. */
    private JsonNode runWorker(Path model) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A fixed, pre-touched heap keeps Java's own growth out of the resident-memory measurement.
        List<String> cmd = List.of(java, "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"), HarnessCommands.class.getName(),
                "bench-worker", model.toString(), "--cpu", "--threads", String.valueOf(threads), "--repeats", String.valueOf(repeats));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("measuring " + model + " failed (exit " + p.exitValue() + "): " + out);
        }
        return new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    }

    private void writeChart(List<Map<String, Object>> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, XYSeries> byRecipe = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            byRecipe.computeIfAbsent((String) r.get("recipe"), XYSeries::new)
                    .add((Long) r.get("params_nonzero") / 1e6, (Double) r.get("latency_s_per_clip"));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byRecipe.values().forEach(data::addSeries);
        JFreeChart c = ChartFactory.createScatterPlot("DOVER-Mobile: CPU latency vs parameters (" + threads + " threads)",
                "non-zero parameters (millions)", "seconds per 32x224x224 clip", data);
        File file = chart.toFile();
        ChartUtils.saveChartAsPNG(file, c, 900, 560);
        System.err.println("bench: chart written to " + file);
    }

    private static double ratio(Map<String, Object> r, Map<String, Object> base, String key) {
        return ((Number) r.get(key)).doubleValue() / ((Number) base.get(key)).doubleValue();
    }

    private static String trim(String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "~";
    }
}
