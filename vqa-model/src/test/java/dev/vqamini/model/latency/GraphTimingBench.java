package dev.vqamini.model.latency;

import dev.vqamini.clips.View;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.onnx.GraphNames;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Manual interleaved timing of whole technical graphs (random weights, one 32 x 224 x 224 uint8 clip, 2 threads),
 * for docs/benchmarks.md; skipped unless {@code -Dbench.mode} is given. {@code dump}: write this code's graphs of the
 * full and a pruned branch to {@code bench.dir} as LABEL-ARCH.onnx; {@code compare}: time every LABEL-ARCH.onnx of
 * each ARCH interleaved against the first (sorted) label, after checking their head maps agree; {@code widths}: time
 * architectures that differ only in a stage's residual or hidden width ({@code bench.stage}, {@code bench.hidden},
 * {@code bench.values}). Results are appended to {@code bench.dir}/bench.log. Run with
 * {@code ./mvnw -o -q -pl vqa-model -am test -Dtest=GraphTimingBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench.mode=...}.
 */
@EnabledIfSystemProperty(named = "bench.mode", matches = ".+")
class GraphTimingBench {

    static final Map<String, BranchSpec> ARCHS = new LinkedHashMap<>();

    static {
        ARCHS.put("full", BranchSpec.doverMobile());
        ARCHS.put("pruned", BranchSpec.of(new int[] {16, 72, 192, 384}, new int[] {2, 2, 3, 1}, 32));
    }

    private static final String MODE = System.getProperty("bench.mode", "");
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 21);
    private static final RunnerOptions OPTIONS = new RunnerOptions(2, false, 0);

    private static byte[] graph(BranchSpec spec) {
        return BranchGraph.build(spec, RandomWeights.branch(spec, View.TECHNICAL, 7), BranchKeys.of(View.TECHNICAL),
                InputFormat.RGB_UINT8, Map.of()).toByteArray();
    }

    @Test
    void run() throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "/tmp/bench"));
        Files.createDirectories(dir);
        switch (MODE) {
            case "dump" -> {
                String label = System.getProperty("bench.label", "new");
                for (var e : ARCHS.entrySet()) {
                    Files.write(dir.resolve(label + "-" + e.getKey() + ".onnx"), graph(e.getValue()));
                }
            }
            case "compare" -> {
                for (String arch : ARCHS.keySet()) {
                    List<Path> files;
                    try (Stream<Path> s = Files.list(dir)) {
                        files = s.filter(p -> p.getFileName().toString().endsWith("-" + arch + ".onnx")).sorted().toList();
                    }
                    List<byte[]> graphs = new ArrayList<>();
                    for (Path f : files) {
                        graphs.add(Files.readAllBytes(f));
                    }
                    check(files, graphs);
                    report(arch, files.stream().map(p -> p.getFileName().toString()).toList(),
                            InterleavedTiming.time(graphs, OPTIONS, 32, 224, 224, 2, ROUNDS));
                }
            }
            case "widths" -> {
                int stage = Integer.getInteger("bench.stage", 0);
                boolean hidden = Boolean.getBoolean("bench.hidden");
                int[] values = Arrays.stream(System.getProperty("bench.values", "40,48,56,64,72,80").split(","))
                        .mapToInt(Integer::parseInt).toArray();
                BranchSpec base = BranchSpec.of(new int[] {48, 96, 192, 384}, new int[] {2, 2, 2, 1}, 32);
                List<byte[]> graphs = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int v : values) {
                    StageSpec st = base.stage(stage);
                    StageSpec changed = hidden
                            ? st.withBlocks(st.blocks().stream().map(b -> b.withHidden(v)).toList())
                            : st.withWidth(v).withBlocks(st.blocks().stream().map(b -> b.withHidden(192)).toList());
                    BranchSpec spec = base.withStage(stage, changed);
                    graphs.add(graph(spec));
                    names.add((hidden ? "hidden " : "width ") + v + " " + spec.describe());
                }
                report("stage " + stage + (hidden ? " hidden" : " residual"), names,
                        InterleavedTiming.time(graphs, OPTIONS, 32, 224, 224, 2, ROUNDS));
            }
            default -> throw new IllegalArgumentException("bench.mode: dump, compare or widths");
        }
    }

    /** Head maps of every graph against the first on one small clip: max |difference|. */
    private static void check(List<Path> files, List<byte[]> graphs) throws Exception {
        long[] shape = {1, 3, 8, 128, 128};
        byte[] pixels = new byte[3 * 8 * 128 * 128];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        float[] ref = null;
        for (int g = 0; g < graphs.size(); g++) {
            try (BranchRunner runner = new BranchRunner(graphs.get(g), GraphNames.PIXELS, OPTIONS)) {
                BranchOutput out = runner.runPixels(pixels, shape);
                if (ref == null) {
                    ref = out.headMap();
                }
                double max = 0;
                double scale = 0;
                for (int i = 0; i < ref.length; i++) {
                    max = Math.max(max, Math.abs(ref[i] - out.headMap()[i]));
                    scale = Math.max(scale, Math.abs(ref[i]));
                }
                log(String.format("BENCH check %s: max |diff| %.3g (max |value| %.3g)", files.get(g).getFileName(), max, scale));
            }
        }
    }

    private static void report(String title, List<String> names, List<InterleavedTiming.Timing> t) {
        log(String.format("BENCH %s, %d rounds, load average %s", title, ROUNDS, loadAverage()));
        for (int i = 0; i < t.size(); i++) {
            InterleavedTiming.Timing x = t.get(i);
            log(String.format("BENCH   %-60s min %7.1f median %7.1f cpu-s %6.3f | vs first: min %.3f median %.3f cpu %.3f paired %.3f",
                    names.get(i), x.minMs(), x.medianMs(), x.cpuSecondsPerClip(), x.minMs() / t.get(0).minMs(),
                    x.medianMs() / t.get(0).medianMs(), x.cpuSecondsPerClip() / t.get(0).cpuSecondsPerClip(),
                    InterleavedTiming.pairedRatio(t.get(0), x)));
        }
    }

    /** Appends a line to bench.dir/bench.log (surefire keeps only the last run's output). */
    private static void log(String line) {
        System.out.println(line);
        try {
            Files.writeString(Path.of(System.getProperty("bench.dir", "/tmp/bench"), "bench.log"), line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
