package dev.vqamini.quantize;

import ai.onnxruntime.OrtException;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.clips.View;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.onnx.Int8Layer;
import dev.vqamini.model.onnx.StaticInt8;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.bundle.Digests;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.bundle.Quantization;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Makes a static INT8 version of an fp32 model: calibrates the activation ranges of the chosen layers on the views of
 * the calibration videos, builds both INT8 graphs (with the provenance the bundle will carry), then scores the gate
 * videos with fp32 and INT8 and measures their agreement. Writing the bundle is the caller's: only when the gate passes.
 */
public final class Int8Quantization {

    private final Set<Int8Layer> layers;
    private final double smoothing;
    private final RunnerOptions options;
    private final Consumer<String> progress;

    public Int8Quantization(Set<Int8Layer> layers, double smoothing, RunnerOptions options, Consumer<String> progress) {
        this.layers = Set.copyOf(layers);
        this.smoothing = smoothing;
        this.options = options;
        this.progress = progress;
    }

    /** An INT8 version: its graphs and what the manifest records. */
    public record Outcome(Map<View, byte[]> graphs, Quantization quantization, Provenance provenance, GateResult gate) {
    }

    /** fp32 against INT8 on the gate videos. */
    public record GateResult(int videos, double srcc, double maxAbsFusedDiff, String worstVideo, double meanAbsFusedDiff,
                             boolean passed, QuantizationGate gate) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("videos", videos);
            m.put("srccVsFp32", srcc);
            m.put("maxAbsFusedDiff", maxAbsFusedDiff);
            m.put("worstVideo", worstVideo);
            m.put("meanAbsFusedDiff", meanAbsFusedDiff);
            m.put("minSrcc", gate.minSrcc());
            m.put("maxFusedDiffAllowed", gate.maxFusedDiff());
            m.put("passed", passed);
            return m;
        }
    }

    /**
     * @param source      the fp32 model, scoring with the graphs it serves
     * @param provenance  the source's provenance; the INT8 version's adds a note saying how it was quantised
     * @param calibration videos whose views set the activation ranges
     * @param gateVideos  videos scored by both (at least 3; may overlap calibration)
     */
    public Outcome run(QualityModel source, Provenance provenance, List<CalibrationVideo> calibration,
                       List<CalibrationVideo> gateVideos, QuantizationGate gate) throws OrtException {
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("INT8 calibration needs at least one video");
        }
        if (gateVideos.size() < 3) {
            throw new IllegalArgumentException("the accuracy gate needs at least 3 videos, got " + gateVideos.size());
        }
        ModelDefinition definition = source.definition();
        StaticInt8 int8;
        int clips = 0;
        try (Int8Calibrator calibrator = new Int8Calibrator(definition, layers, options)) {
            for (int i = 0; i < calibration.size(); i++) {
                CalibrationVideo v = calibration.get(i);
                progress.accept("calibrating on " + v.id() + " (" + (i + 1) + "/" + calibration.size() + ")");
                VideoViews views = v.views().get();
                for (View view : View.values()) {
                    calibrator.add(views.get(view));
                    clips += views.get(view).clips();
                }
            }
            int8 = calibrator.result(smoothing);
        }
        String how = Quantization.STATIC_INT8 + " " + Int8Layer.describe(layers) + " smoothing " + smoothing + " of "
                + definition.version();
        Map<String, String> notes = new TreeMap<>(provenance.notes());
        notes.put("quantization", how);
        Provenance quantized = new Provenance(provenance.specHash(), provenance.parentVersion(), provenance.parentSpecHash(),
                provenance.recipe(), provenance.config(), provenance.history(), provenance.heads(),
                provenance.calibrationDigest(), Provenance.currentBuild(), notes);
        Map<View, byte[]> graphs = new EnumMap<>(View.class);
        for (View view : View.values()) {
            graphs.put(view, QualityModel.onnxInt8(definition, view, int8, Map.of(Provenance.METADATA_KEY, quantized.canonicalJson())));
        }
        GateResult result;
        try (QualityModel q = new QualityModel(definition, options, graphs)) {
            result = gate(source, q, gateVideos, gate);
        }
        Quantization quantization = new Quantization(Quantization.STATIC_INT8, layers.stream().sorted().map(Int8Layer::key).toList(),
                smoothing, definition.version(), calibration.size(), clips, digest(calibration), result.toMap());
        return new Outcome(graphs, quantization, quantized, result);
    }

    private GateResult gate(QualityModel fp32, QualityModel int8, List<CalibrationVideo> videos, QuantizationGate gate) {
        double[] a = new double[videos.size()];
        double[] b = new double[videos.size()];
        double max = -1;
        String worst = null;
        double sum = 0;
        for (int i = 0; i < videos.size(); i++) {
            progress.accept("gate: scoring " + videos.get(i).id() + " with fp32 and INT8 (" + (i + 1) + "/" + videos.size() + ")");
            VideoViews views = videos.get(i).views().get();
            a[i] = fp32.score(views.technical(), views.aesthetic()).fused();
            b[i] = int8.score(views.technical(), views.aesthetic()).fused();
            if (Math.abs(a[i] - b[i]) > max) {
                max = Math.abs(a[i] - b[i]);
                worst = videos.get(i).id();
            }
            sum += Math.abs(a[i] - b[i]);
        }
        double srcc = new SpearmansCorrelation().correlation(a, b);
        return new GateResult(videos.size(), srcc, max, worst, sum / videos.size(), gate.passes(srcc, max), gate);
    }

    private static String digest(List<CalibrationVideo> videos) {
        StringBuilder ids = new StringBuilder();
        videos.forEach(v -> ids.append(v.id()).append('\n'));
        return Digests.sha256(ids.toString().getBytes(StandardCharsets.UTF_8));
    }
}
