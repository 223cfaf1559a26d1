package dev.vqamini.model;

import ai.onnxruntime.OrtException;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.onnx.StaticInt8;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.EnumMap;
import java.util.Map;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * A DOVER-Mobile model version ready to score: one ONNX Runtime session per branch and input format, built
 * from the model's spec and weights on first use and reused afterwards.
 */
public final class QualityModel implements AutoCloseable {

    private final ModelDefinition definition;
    private final RunnerOptions options;
    private final Map<View, byte[]> storedGraphs;
    private final Map<View, Map<InputFormat, BranchRunner>> runners = new EnumMap<>(View.class);

    public QualityModel(ModelDefinition definition, RunnerOptions options) {
        this(definition, options, Map.of());
    }

    /**
     * A model that runs uint8 input through {@code storedGraphs} (a bundle's graphs, INT8 ones included) instead of
     * graphs built from the weights; float input is always built from the weights.
     */
    public QualityModel(ModelDefinition definition, RunnerOptions options, Map<View, byte[]> storedGraphs) {
        this.definition = definition;
        this.options = options;
        this.storedGraphs = Map.copyOf(storedGraphs);
    }

    /** The uint8-input graph of one branch this model runs: the stored one, else built from the weights. */
    public byte[] pixelGraph(View view) {
        byte[] stored = storedGraphs.get(view);
        return stored != null ? stored : onnx(definition, view, InputFormat.RGB_UINT8);
    }

    public String version() {
        return definition.version();
    }

    public ModelDefinition definition() {
        return definition;
    }

    /** Scores one video from its technical and aesthetic clips. */
    public VideoScore score(ViewClips technical, ViewClips aesthetic) {
        double t = run(technical).meanScore();
        double a = run(aesthetic).meanScore();
        return new VideoScore(version(), t, a, definition.fusion().fuse(t, a));
    }

    /** Runs the branch of {@code clips.view()} on uint8 clips. */
    public BranchOutput run(ViewClips clips) {
        long[] shape = {clips.clips(), 3, clips.frames(), clips.height(), clips.width()};
        BranchGraph.checkInputShape(definition.spec().branch(clips.view()), shape);
        try {
            return runner(clips.view(), InputFormat.RGB_UINT8).runPixels(clips.pixels(), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + version() + ", " + clips.view().key() + " branch failed on "
                    + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a branch on normalised float32 input N x 3 x T x H x W (upstream's input; used for parity). */
    public BranchOutput runNormalised(View view, float[] input, long[] shape) {
        BranchGraph.checkInputShape(definition.spec().branch(view), shape);
        try {
            return runner(view, InputFormat.NORMALISED_FLOAT).runFloats(input, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + version() + ", " + view.key() + " branch failed on "
                    + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** The ONNX graph of one branch, as bundles store it and any ONNX Runtime user can load it. */
    public static byte[] onnx(ModelDefinition definition, View view, InputFormat format) {
        return onnx(definition, view, format, Map.of());
    }

    /** {@link #onnx(ModelDefinition, View, InputFormat)} with more metadata (a bundle's typed provenance). */
    public static byte[] onnx(ModelDefinition definition, View view, InputFormat format, Map<String, String> extra) {
        return BranchGraph.build(definition.spec().branch(view), definition.weights(), BranchKeys.of(view), format,
                metadata(definition, view, format, extra)).toByteArray();
    }

    /** The uint8-input graph of one branch with {@code int8}'s layers in static INT8, metadata as {@link #onnx}. */
    public static byte[] onnxInt8(ModelDefinition definition, View view, StaticInt8 int8, Map<String, String> extra) {
        return BranchGraph.buildStaticInt8(definition.spec().branch(view), definition.weights(), BranchKeys.of(view),
                InputFormat.RGB_UINT8, metadata(definition, view, InputFormat.RGB_UINT8, extra), int8).toByteArray();
    }

    private static Map<String, String> metadata(ModelDefinition definition, View view, InputFormat format, Map<String, String> extra) {
        Map<String, String> metadata = new TreeMap<>(definition.notes()); // sorted: the same model gives the same bytes
        metadata.putAll(extra);
        metadata.put("model.name", definition.name());
        metadata.put("model.version", definition.version());
        metadata.put("model.branch", view.key());
        metadata.put("model.input", format.name());
        metadata.put("model.spec", definition.spec().branch(view).describe());
        return metadata;
    }

    /** Where the sessions run ("CPU", "CUDA:0"), once one exists. */
    public synchronized String provider() {
        return runners.values().stream().flatMap(m -> m.values().stream()).map(BranchRunner::provider).findFirst()
                .orElse("not started");
    }

    private synchronized BranchRunner runner(View view, InputFormat format) throws OrtException {
        Map<InputFormat, BranchRunner> byFormat = runners.computeIfAbsent(view, v -> new EnumMap<>(InputFormat.class));
        BranchRunner r = byFormat.get(format);
        if (r == null) {
            byte[] graph = format == InputFormat.RGB_UINT8 ? pixelGraph(view) : onnx(definition, view, format);
            r = new BranchRunner(graph, BranchGraph.inputName(format), options);
            byFormat.put(format, r);
        }
        return r;
    }

    @Override
    public synchronized void close() {
        for (Map<InputFormat, BranchRunner> m : runners.values()) {
            for (BranchRunner r : m.values()) {
                try {
                    r.close();
                } catch (OrtException e) {
                    // closing a session cannot fail in a way the caller could act on
                }
            }
        }
        runners.clear();
    }
}
