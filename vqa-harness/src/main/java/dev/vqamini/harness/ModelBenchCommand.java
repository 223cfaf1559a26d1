package dev.vqamini.harness;

import dev.vqamini.cli.RuntimeOptions;
import dev.vqamini.cli.WeightsOption;
import dev.vqamini.model.runtime.OpProfile;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.onnx.GraphNames;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.EnergyMeter;
import dev.vqamini.model.runtime.OptimizedModelCache;
import dev.vqamini.clips.View;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ai.onnx.proto.OnnxMl;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * {@code vqa bench-model}: CPU latency of our ONNX graphs per 32 x 224 x 224 clip and per video (1 aesthetic +
 * 3 technical clips), next to the same network exported by {@code torch.onnx.export} and run by the same
 * ONNX Runtime in the same process, and next to PyTorch's own numbers when given.
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = {"Benchmark the model's CPU latency (a benchmark, not a test: it prints numbers).",
                "Compares our graph (float and uint8 input) with a torch.onnx.export of the same weights when --torch-export",
                "is given (tools/reference/dover_reference.py export-onnx), and shows PyTorch's own timing from --pytorch-json.",
                "A quantised bundle (vqa quantize) is timed beside its fp32 source's graph, in the same run."})
public final class ModelBenchCommand implements Callable<Integer> {

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--torch-export", paramLabel = "DIR", description = "Directory with technical.onnx and aesthetic.onnx from torch.onnx.export.")
    Path torchExport;

    @Option(names = "--pytorch-json", paramLabel = "FILE", description = "PyTorch timings written by the reference tool's bench --json.")
    Path pytorchJson;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--frames", defaultValue = "32", description = "Frames per clip (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--size", defaultValue = "224", description = "Clip height and width (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--profile", description = {"Instead of timing whole graphs: profile one technical clip of the uint8 graph with",
            "ONNX Runtime's profiler and print where its time goes, by op type (ms per clip, nodes, share)."})
    boolean profile;

    private final EnergyMeter meter = EnergyMeter.system();
    private double sessionOpenSeconds;

    @Override
    public Integer call() throws Exception {
        if (runtime.threads == 0) {
            runtime.threads = 2;
        }
        SplittableRandom random = new SplittableRandom(1);
        long[] clip = {1, 3, frames, size, size};
        long[] three = {3, 3, frames, size, size};
        float[] x1 = gaussian(random, clip);
        float[] x3 = gaussian(random, three);
        byte[] p1 = new byte[x1.length];
        byte[] p3 = new byte[x3.length];
        for (int i = 0; i < p3.length; i++) {
            p3[i] = (byte) random.nextInt(256);
        }
        System.arraycopy(p3, 0, p1, 0, p1.length);

        if (profile) {
            return profile(p1, clip);
        }
        ModelDefinition definition;
        List<Graphs> graphs = new ArrayList<>();
        try (QualityModel model = ModelLoader.qualityModel(weights.path(), runtime.options())) {
            definition = model.definition();
            progress("building graphs for " + definition.version());
            Map<View, BranchRunner> floats = new LinkedHashMap<>();
            Map<View, BranchRunner> pixels = new LinkedHashMap<>();
            double openSeconds = 0;
            for (View v : View.values()) {
                floats.put(v, new BranchRunner(QualityModel.onnx(definition, v, InputFormat.NORMALISED_FLOAT), GraphNames.NORMALISED_INPUT, runtime.options()));
                byte[] graph = model.pixelGraph(v); // a bundle's own graphs (INT8 for a quantised version)
                long t0 = System.nanoTime();
                pixels.put(v, new BranchRunner(graph, GraphNames.PIXELS, runtime.options()));
                openSeconds += (System.nanoTime() - t0) / 1e9;
            }
            sessionOpenSeconds = openSeconds;
            graphs.add(new Graphs("vqa-mini graph, float input", floats, true));
            String note = int8Note(model.pixelGraph(View.TECHNICAL));
            if (!note.isEmpty()) { // a quantised bundle: its fp32 source's uint8 graph beside it, in the same run
                Map<View, BranchRunner> fp32 = new LinkedHashMap<>();
                for (View v : View.values()) {
                    fp32.put(v, new BranchRunner(QualityModel.onnx(definition, v, InputFormat.RGB_UINT8), GraphNames.PIXELS, runtime.options()));
                }
                graphs.add(new Graphs("vqa-mini graph, uint8 input, fp32", fp32, false));
            }
            graphs.add(new Graphs("vqa-mini graph, uint8 input" + note, pixels, false));
        }
        if (torchExport != null) {
            Map<View, BranchRunner> exported = new LinkedHashMap<>();
            for (View v : View.values()) {
                exported.put(v, new BranchRunner(Files.readAllBytes(torchExport.resolve(v.key() + ".onnx")), GraphNames.NORMALISED_INPUT, runtime.options()));
            }
            graphs.add(new Graphs("torch.onnx.export (opset 17)", exported, true));
        }
        List<Map<String, Object>> rows = measure(graphs, x1, x3, p1, p3);
        if (torchExport != null) { // the export and our float graph on the same input: head maps must agree
            double maxDiff = 0;
            for (View v : View.values()) {
                float[] x = v == View.TECHNICAL ? x3 : x1;
                long[] shape = v == View.TECHNICAL ? three : clip;
                float[] ours = graphs.get(0).runners().get(v).runFloats(x, shape).headMap();
                float[] theirs = graphs.get(graphs.size() - 1).runners().get(v).runFloats(x, shape).headMap();
                for (int i = 0; i < theirs.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - ours[i]));
                }
            }
            rows.get(rows.size() - 1).put("head_map_max_abs_diff_vs_ours", maxDiff);
        }
        for (Graphs g : graphs) {
            closeAll(g.runners());
        }
        if (pytorchJson != null) {
            JsonNode py = new ObjectMapper().readTree(pytorchJson.toFile());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", "PyTorch " + py.path("torch").asText("") + " eager");
            row.put("clip_s", py.path("results").path("branch_1_clip").path("median_s").asDouble(Double.NaN));
            row.put("video_s", py.path("results").path("video_1a_3t").path("median_s").asDouble(Double.NaN));
            rows.add(row);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", definition.version());
        report.put("threads", runtime.threads);
        report.put("clip_shape", Arrays.toString(clip));
        report.put("repeats", repeats);
        report.put("energy_source", meter.source());
        report.put("ort_cache", System.getProperty(OptimizedModelCache.DIR_PROPERTY, System.getenv(OptimizedModelCache.DIR_ENV)));
        report.put("open_uint8_sessions_s", sessionOpenSeconds);
        report.put("results", rows);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.printf("model %s, %d threads, clip %s, median of %d%n", definition.version(), runtime.threads,
                    Arrays.toString(clip), repeats);
            System.out.printf("opening both uint8 sessions: %.2f s (optimised-graph cache: %s)%n", sessionOpenSeconds,
                    report.get("ort_cache") == null ? "off" : report.get("ort_cache"));
            System.out.printf("energy: %s (J: RAPL package energy, whole machine; CPU-s: this process)%n", meter.source());
            System.out.printf("%-56s %12s %12s %10s %10s %10s %10s %14s%n", "graph", "s / clip", "s / video", "J / clip",
                    "J / video", "CPU-s/clip", "CPU-s/vid", "max|diff|");
            for (Map<String, Object> r : rows) {
                Object diff = r.getOrDefault("head_map_max_abs_diff_vs_ours", "");
                System.out.printf("%-56s %12.3f %12.3f %10s %10s %10s %10s %14s%n", r.get("name"), (Double) r.get("clip_s"),
                        (Double) r.get("video_s"), num(r.get("clip_joules")), num(r.get("video_joules")),
                        num(r.get("clip_cpu_s")), num(r.get("video_cpu_s")),
                        diff instanceof Double d ? String.format("%.2e", d) : "");
            }
        }
        return 0;
    }

    /** Profiles {@code repeats} runs of one technical clip after a warm-up and prints the time per op type. */
    private int profile(byte[] pixels, long[] clip) throws Exception {
        ModelDefinition definition;
        byte[] graph;
        try (QualityModel model = ModelLoader.qualityModel(weights.path(), runtime.options())) {
            definition = model.definition();
            graph = model.pixelGraph(View.TECHNICAL); // a bundle's own graph: the profile of what it serves
        }
        try (BranchRunner warm = new BranchRunner(graph, GraphNames.PIXELS, runtime.options())) {
            warm.runPixels(pixels, clip); // the first run allocates; profile steady state only
        }
        Path dir = Files.createTempDirectory("vqa-profile");
        String previous = System.setProperty("vqa.ort.profile", dir.resolve("technical").toString());
        Path trace;
        try (BranchRunner runner = new BranchRunner(graph, GraphNames.PIXELS, runtime.options())) {
            runner.runPixels(pixels, clip);
            restore(previous);
            // the profile holds the warm-up too: count it in the runs
            for (int r = 0; r < repeats; r++) {
                runner.runPixels(pixels, clip);
            }
            trace = Path.of(runner.endProfiling());
        } finally {
            restore(previous);
        }
        OpProfile p = OpProfile.read(trace, repeats + 1);
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", definition.version());
            report.put("threads", runtime.threads);
            report.put("clip_shape", Arrays.toString(clip));
            report.put("runs", p.runs());
            report.put("kernel_ms_per_clip", p.millisPerRun());
            report.put("by_op_type", p.byType());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.printf("model %s, technical graph (uint8), %d threads, clip %s, %d runs; kernel time %.1f ms per clip%n",
                    definition.version(), runtime.threads, Arrays.toString(clip), p.runs(), p.millisPerRun());
            System.out.printf("%-28s %12s %8s %8s%n", "op type", "ms / clip", "nodes", "share");
            for (OpProfile.OpTime t : p.byType()) {
                System.out.printf("%-28s %12.2f %8.0f %7.1f%%%n", t.opType(), t.millisPerRun(), t.nodesPerRun(), 100 * t.share());
            }
        }
        Files.deleteIfExists(trace);
        return 0;
    }

    /** ", static INT8 pwconv1+pwconv2" when the graph says it is quantised. */
    private static String int8Note(byte[] graph) throws Exception {
        for (var p : OnnxMl.ModelProto.parseFrom(graph).getMetadataPropsList()) {
            if (p.getKey().equals(BranchGraph.INT8_METADATA)) {
                return ", INT8 " + p.getValue();
            }
        }
        return "";
    }

    private static String num(Object v) {
        return v instanceof Double d && !d.isNaN() ? String.format("%.3f", d) : "-";
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty("vqa.ort.profile");
        } else {
            System.setProperty("vqa.ort.profile", previous);
        }
    }

    /** One model's two branch sessions, fed normalised floats or uint8 pixels. */
    private record Graphs(String name, Map<View, BranchRunner> runners, boolean floatInput) {
    }

    /**
     * Median seconds for one technical clip and for one video (1 aesthetic clip + a batch of 3 technical clips) of each
     * model, interleaved: every repeat times every model in turn, so drift of a shared machine falls on all alike.
     */
    private List<Map<String, Object>> measure(List<Graphs> graphs, float[] x1, float[] x3, byte[] p1, byte[] p3) throws OrtException {
        progress("timing " + graphs.size() + " models, interleaved, " + repeats + " repeats after a warm-up");
        long[] clip = {1, 3, frames, size, size};
        long[] three = {3, 3, frames, size, size};
        int n = graphs.size();
        double[][] clipTimes = new double[n][repeats];
        double[][] videoTimes = new double[n][repeats];
        EnergyMeter.Usage[] clipEnergy = new EnergyMeter.Usage[n];
        EnergyMeter.Usage[] videoEnergy = new EnergyMeter.Usage[n];
        Arrays.fill(clipEnergy, EnergyMeter.Usage.zero(meter.source()));
        Arrays.fill(videoEnergy, EnergyMeter.Usage.zero(meter.source()));
        for (int r = -1; r < repeats; r++) {
            for (int m = 0; m < n; m++) {
                Graphs g = graphs.get(m);
                float[] f1 = g.floatInput() ? x1 : null;
                float[] f3 = g.floatInput() ? x3 : null;
                EnergyMeter.Sample e0 = meter.sample();
                long t0 = System.nanoTime();
                run(g.runners().get(View.TECHNICAL), f1, p1, clip);
                long t1 = System.nanoTime();
                EnergyMeter.Sample e1 = meter.sample();
                run(g.runners().get(View.AESTHETIC), f1, p1, clip);
                run(g.runners().get(View.TECHNICAL), f3, p3, three);
                long t2 = System.nanoTime();
                EnergyMeter.Sample e2 = meter.sample();
                if (r >= 0) {
                    clipTimes[m][r] = (t1 - t0) / 1e9;
                    videoTimes[m][r] = (t2 - t1) / 1e9;
                    clipEnergy[m] = clipEnergy[m].plus(meter.between(e0, e1));
                    videoEnergy[m] = videoEnergy[m].plus(meter.between(e1, e2));
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", graphs.get(m).name());
            row.put("clip_s", median(clipTimes[m]));
            row.put("video_s", median(videoTimes[m]));
            // means over the timed runs: energy adds up, so a mean is what a fleet's bill sees
            row.put("clip_joules", clipEnergy[m].hasJoules() ? clipEnergy[m].per(repeats).joules() : null);
            row.put("video_joules", videoEnergy[m].hasJoules() ? videoEnergy[m].per(repeats).joules() : null);
            row.put("clip_cpu_s", clipEnergy[m].per(repeats).cpuSeconds());
            row.put("video_cpu_s", videoEnergy[m].per(repeats).cpuSeconds());
            rows.add(row);
        }
        return rows;
    }

    private static void run(BranchRunner runner, float[] floats, byte[] pixels, long[] shape) throws OrtException {
        if (floats != null) {
            runner.runFloats(floats, shape);
        } else {
            runner.runPixels(pixels, shape);
        }
    }

    private static double median(double[] values) {
        return new Median().evaluate(values);
    }

    private static float[] gaussian(SplittableRandom r, long[] shape) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1) * 1.7f;
        }
        return v;
    }

    private static void closeAll(Map<View, BranchRunner> runners) throws OrtException {
        for (BranchRunner r : runners.values()) {
            r.close();
        }
    }

    private static void progress(String message) {
        System.err.println("bench-model: " + message);
    }
}
