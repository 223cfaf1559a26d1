package dev.vqamini.model;

import ai.onnxruntime.OrtException;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A DOVER-Mobile model version ready to score: one ONNX Runtime session per branch and input format, built
 * from the model's spec and weights on first use and reused afterwards.
 */
public final class QualityModel implements AutoCloseable {

    private final ModelDefinition definition;
    private final RunnerOptions options;
    private final Map<View, Map<InputFormat, BranchRunner>> runners = new EnumMap<>(View.class);

    public QualityModel(ModelDefinition definition, RunnerOptions options) {
        this.definition = definition;
        this.options = options;
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
        try {
            return runner(clips.view(), InputFormat.RGB_UINT8).runPixels(clips.pixels(), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + version() + ", " + clips.view().key() + " branch failed on "
                    + java.util.Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a branch on normalised float32 input N x 3 x T x H x W (upstream's input; used for parity). */
    public BranchOutput runNormalised(View view, float[] input, long[] shape) {
        try {
            return runner(view, InputFormat.NORMALISED_FLOAT).runFloats(input, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + version() + ", " + view.key() + " branch failed on "
                    + java.util.Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** The ONNX graph of one branch, as bundles store it and any ONNX Runtime user can load it. */
    public static byte[] onnx(ModelDefinition definition, View view, InputFormat format) {
        return onnx(definition, view, format, Map.of());
    }

    /** {@link #onnx(ModelDefinition, View, InputFormat)} with more metadata (a bundle's typed provenance). */
    public static byte[] onnx(ModelDefinition definition, View view, InputFormat format, Map<String, String> extra) {
        Map<String, String> metadata = new java.util.TreeMap<>(definition.provenance()); // sorted: the same model gives the same bytes
        metadata.putAll(extra);
        metadata.put("model.name", definition.name());
        metadata.put("model.version", definition.version());
        metadata.put("model.branch", view.key());
        metadata.put("model.input", format.name());
        metadata.put("model.spec", definition.spec().branch(view).describe());
        return BranchGraph.build(definition.spec().branch(view), definition.weights(), BranchKeys.of(view), format, metadata)
                .toByteArray();
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
            r = new BranchRunner(onnx(definition, view, format), BranchGraph.inputName(format), options);
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
