package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.dataset.DatasetFolder;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.onnx.Int8Layer;
import dev.vqamini.quantize.Int8Quantization;
import dev.vqamini.quantize.QuantizationGate;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.views.ViewSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;

/** {@code vqa quantize}: a static INT8 version of a model bundle, written only if it passes the accuracy gate. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Write a static INT8 version of MODEL as a new bundle that scorers serve like any version (so it can be",
                "canaried). The blocks' pointwise layers (pwconv1, pwconv2: about 60 %% of the FLOPs) get int8 weights,",
                "symmetric per output channel, and uint8 activations with per-tensor scales calibrated on the views of the",
                "--calibration videos, after SmoothQuant evens out their channels; the stem runs on the uint8 pixels; depthwise",
                "convs, downsampling, GRN, LayerNorm and heads stay fp32. The accuracy gate scores the --gate videos (default:",
                "the calibration folder, all of it) with fp32 and INT8 and prints the SRCC and the max |fused difference|;",
                "the bundle is written only if both pass (exit 1 otherwise). The manifest records the quantization and the gate."})
public final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The fp32 model: a bundle directory or .zip, a .pth or a .safetensors.")
    Path model;

    @Mixin RuntimeOptions runtime;

    @Option(names = "--calibration", required = true, paramLabel = "DIR", description = "Folder of calibration videos (e.g. from `vqa synth`).")
    Path calibration;

    @Option(names = "--calibration-videos", defaultValue = "16", paramLabel = "N",
            description = "How many of the folder's videos (spread over it) calibrate the ranges (default ${DEFAULT-VALUE}).")
    int calibrationVideos;

    @Option(names = "--gate", paramLabel = "DIR", description = "Folder of videos for the accuracy gate (default: the calibration folder).")
    Path gateFolder;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Bundle directory to write.")
    Path out;

    @Option(names = "--model-version", paramLabel = "V", description = "Version name (default: the source's version + '-int8').")
    String version;

    @Option(names = "--layers", split = ",", defaultValue = "pwconv1,pwconv2,stem", paramLabel = "L",
            description = {"Layers to quantise (default ${DEFAULT-VALUE}): pwconv1 and pwconv2 of every block, and the stem,",
                    "which takes the uint8 pixels as they are (no cast of the clip to float) with its weights in two int8 parts."})
    List<String> layers;

    @Option(names = "--smoothing", defaultValue = "0.5", paramLabel = "A",
            description = "SmoothQuant migration strength in [0, 1]; 0 turns it off (default ${DEFAULT-VALUE}).")
    double smoothing;

    @Option(names = "--min-srcc", defaultValue = "0.995", description = "Gate: lowest SRCC of INT8 against fp32 (default ${DEFAULT-VALUE}).")
    double minSrcc;

    @Option(names = "--max-fused-diff", defaultValue = "0.01", description = "Gate: largest |fused score difference| (default ${DEFAULT-VALUE}).")
    double maxFusedDiff;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed for the views (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model " + model + " does not exist (give a bundle directory or .zip, a .pth or a .safetensors)");
        }
        Inputs.folder(calibration, "--calibration", "calibration folder", "a folder of videos, e.g. from vqa synth");
        if (gateFolder != null) {
            Inputs.folder(gateFolder, "--gate", "gate folder", "a folder of videos, e.g. from vqa synth");
        }
        if (calibrationVideos < 1) {
            throw new IllegalArgumentException("--calibration-videos must be at least 1, got " + calibrationVideos);
        }
        Set<Int8Layer> chosen = Int8Layer.parse(layers);
        Provenance provenance = null;
        if (Files.isDirectory(model) || model.getFileName().toString().endsWith(".zip")) {
            ModelBundle bundle = ModelBundle.read(model);
            if (bundle.manifest().quantization() != null) {
                throw new IllegalArgumentException("model " + model + " (" + bundle.manifest().version() + ") is already quantised ("
                        + bundle.manifest().quantization().scheme() + " of " + bundle.manifest().quantization().sourceVersion()
                        + "); quantise its fp32 source instead");
            }
            provenance = bundle.manifest().provenance();
        }
        ViewSampler sampler = new ViewSampler();
        List<CalibrationVideo> all = videos(calibration, sampler);
        List<CalibrationVideo> gateVideos = gateFolder == null ? all : videos(gateFolder, sampler);
        List<CalibrationVideo> calib = spread(all, calibrationVideos);
        Int8Quantization.Outcome outcome;
        String v;
        try (QualityModel source = ModelLoader.qualityModel(model, runtime.options())) {
            if (provenance == null) {
                provenance = ModelBundle.unprunedProvenance(source.definition());
            }
            v = version != null ? version : source.version() + "-int8";
            outcome = new Int8Quantization(chosen, smoothing, runtime.options(), m -> System.err.println("quantize: " + m))
                    .run(source, provenance, calib, gateVideos, new QuantizationGate(minSrcc, maxFusedDiff));
            if (outcome.gate().passed()) {
                ModelBundle.writeQuantized(source.definition(), v, out, outcome.provenance(), outcome.graphs(), outcome.quantization());
            }
        }
        Int8Quantization.GateResult g = outcome.gate();
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("version", v);
            report.put("written", g.passed() ? out.toString() : null);
            report.put("quantization", outcome.quantization());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.printf("INT8 %s of %s, calibrated on %d videos (%d clips):%n", Int8Layer.describe(chosen),
                    outcome.quantization().sourceVersion(), calib.size(), outcome.quantization().calibrationClips());
            System.out.printf("gate on %d videos: SRCC vs fp32 %.4f (need >= %.4f), max |fused difference| %.4f (need <= %.4f,"
                    + " on %s), mean %.4f: %s%n", g.videos(), g.srcc(), minSrcc, g.maxAbsFusedDiff(), maxFusedDiff, g.worstVideo(),
                    g.meanAbsFusedDiff(), g.passed() ? "passed" : "FAILED");
            System.out.println(g.passed() ? "wrote " + out + " (version " + v + ")"
                    : "nothing written: the INT8 version would not score like its source (try --layers pwconv1,pwconv2, --smoothing,"
                    + " more --calibration-videos)");
        }
        return g.passed() ? 0 : 1;
    }

    private List<CalibrationVideo> videos(Path dir, ViewSampler sampler) throws IOException {
        List<DatasetFolder.Entry> entries = DatasetFolder.list(dir, DatasetFolder.defaultLabels(dir, null));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no videos in " + dir + " (give a folder of video files, e.g. from vqa synth)");
        }
        return entries.stream().map(e -> new CalibrationVideo(e.name(), e.mos(), () -> sampler.sample(e.file(), seed))).toList();
    }

    /** {@code n} videos spread evenly over the list (all of them when it has fewer). */
    static List<CalibrationVideo> spread(List<CalibrationVideo> all, int n) {
        if (all.size() <= n) {
            return all;
        }
        List<CalibrationVideo> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(all.get((int) ((long) i * all.size() / n)));
        }
        return picked;
    }
}
