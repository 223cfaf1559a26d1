package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.latency.InterleavedTiming;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.latency.LatencyTableMeasurer;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.RunnerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vqa latency-table}: time every segment of the architecture at the prunable widths, write the table. */
@Command(name = "latency-table", mixinStandardHelpOptions = true,
        description = {"Time each segment of a DOVER-Mobile branch (the uint8 clip's patch cut, the stem, each (1,2,2)",
                "downsampling, each block type with temporal kernel 1 or 3, the head) at a grid of the widths pruning can",
                "produce, each as its own ONNX Runtime session on this host's provider, one 32 x 224 x 224 clip, with",
                "warm-up runs and timed runs (median, min, quartiles, max kept). The JSON file's header names the CPU, its",
                "SIMD set, the provider, the ONNX Runtime version and the threads. `vqa prune --target-latency` spends a",
                "budget from such a table. With --verify, the whole technical graphs of the given models are timed",
                "interleaved in this process and set beside the table's predicted sum (also with --table FILE, no measuring)."})
public final class LatencyTableCommand implements Callable<Integer> {

    @Mixin RuntimeOptions runtime;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the table (JSON).")
    Path out;

    @Option(names = "--table", paramLabel = "FILE", description = "Use this table instead of measuring one (with --verify).")
    Path table;

    @Option(names = "--passes", defaultValue = "3",
            description = "Passes over all segments, every other one in reverse order; a segment's time is its fastest run (default ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs per segment per pass (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmups", defaultValue = "1", description = "Untimed runs per segment per pass first (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--grid-points", defaultValue = "4",
            description = "Grid steps per width axis, from one channel multiple to the unpruned width (default ${DEFAULT-VALUE}).")
    int gridPoints;

    @Option(names = "--channel-multiple", defaultValue = "8", description = "Widths on the grid are multiples of this (default ${DEFAULT-VALUE}).")
    int channelMultiple;

    @Option(names = "--verify", split = ",", paramLabel = "MODEL",
            description = "Models (bundles, .pth or .safetensors; 'default' = the bootstrap model) whose technical graphs to time against the prediction.")
    List<String> verify = new ArrayList<>();

    @Option(names = "--verify-repeats", defaultValue = "15", description = "Interleaved timed rounds for --verify (default ${DEFAULT-VALUE}).")
    int verifyRepeats;

    @Option(names = "--json", description = "Print the verification (or the table's header) as JSON.")
    boolean json;

    /**
     * One verified model, milliseconds per technical clip: the calibrated prediction and the uncalibrated segment sum
     * against the whole graph's fastest interleaved run (and its median, for the record).
     */
    record Check(String model, String architecture, double predictedMs, double segmentSumMs, double measuredMinMs,
                 double measuredMedianMs, double error, double segmentSumError, double cpuSecondsPerClip,
                 double predictedRatio, double measuredRatio) {
    }

    @Override
    public Integer call() throws Exception {
        if (out == null && table == null) {
            System.err.println("latency-table: give --out FILE to measure a table, or --table FILE --verify ... to check one");
            return 2;
        }
        RunnerOptions options = runtime.options();
        LatencyTable t;
        if (table != null) {
            t = LatencyTable.read(table);
        } else {
            long start = System.nanoTime();
            t = LatencyTableMeasurer.builder(options).passes(passes).repeats(repeats).warmups(warmups).gridPoints(gridPoints)
                    .channelMultiple(channelMultiple).progress(m -> System.err.println("latency-table: " + m)).build().measure();
            t.write(out);
            System.err.printf("latency-table: wrote %s (%d entries, %.0f s), sha256 %s%n", out, t.entries().size(),
                    (System.nanoTime() - start) / 1e9, t.digest());
        }
        System.err.println("latency-table: " + t.header().describe());
        if (verify.isEmpty()) {
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(t.header()));
            }
            return 0;
        }
        List<ModelDefinition> models = new ArrayList<>();
        for (String m : verify) {
            models.add(m.equals("default") ? new WeightsOption().definition(options) : ModelLoader.load(Path.of(m)));
        }
        List<byte[]> graphs = models.stream().map(m -> QualityModel.onnx(m, View.TECHNICAL, InputFormat.RGB_UINT8)).toList();
        System.err.printf("latency-table: timing %d technical graphs interleaved, %d rounds%n", graphs.size(), verifyRepeats);
        List<InterleavedTiming.Timing> timings = InterleavedTiming.time(graphs, options, 32, 224, 224, 2, verifyRepeats);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            LatencyTable.Prediction p = t.predict(models.get(i).spec().technical());
            InterleavedTiming.Timing m = timings.get(i);
            checks.add(new Check(verify.get(i), models.get(i).spec().technical().describe(), p.ms(), p.segmentSumMs(),
                    m.minMs(), m.medianMs(), p.ms() / m.minMs() - 1, p.segmentSumMs() / m.minMs() - 1, m.cpuSecondsPerClip(),
                    p.ms() / t.predictMs(models.get(0).spec().technical()), InterleavedTiming.pairedRatio(timings.get(0), m)));
        }
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("table", t.header());
            result.put("tableSha256", t.digest());
            result.put("checks", checks);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            System.out.printf("%-40s %10s %10s %8s %10s %8s %10s %10s %8s %8s%n", "model", "predicted", "measured", "error",
                    "seg. sum", "error", "median", "CPU-s/clip", "pred. x", "meas. x");
            for (Check c : checks) {
                System.out.printf("%-40s %10.1f %10.1f %+7.1f%% %10.1f %+7.1f%% %10.1f %10.3f %8.3f %8.3f%n", c.model(), c.predictedMs(),
                        c.measuredMinMs(), 100 * c.error(), c.segmentSumMs(), 100 * c.segmentSumError(), c.measuredMedianMs(),
                        c.cpuSecondsPerClip(), c.predictedRatio(), c.measuredRatio());
            }
            System.out.println("ms per technical clip: predicted = calibrated table, measured = fastest of the interleaved runs;"
                    + " x = against the first model (measured: median of per-round ratios)");
        }
        return 0;
    }
}
