package dev.vqamini.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.cli.RuntimeOptions;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.EnergyMeter;
import dev.vqamini.model.runtime.ResidentMemory;
import dev.vqamini.prune.ModelCosts;
import dev.vqamini.clips.View;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import dev.vqamini.model.onnx.GraphBuilder;
import dev.vqamini.model.runtime.OrtRuntime;

/**
 * Measures one model in a fresh process, so its peak memory is its own: `vqa bench` starts one per model.
 * Prints one JSON line: latency per clip, the resident memory inference adds at its peak, and the energy per clip
 * (RAPL joules where readable, process CPU-seconds always).
 */
@Command(name = "bench-worker", hidden = true, mixinStandardHelpOptions = true,
        description = "Measure one model's CPU latency and peak memory in this process (used by `vqa bench`).")
public final class BenchWorkerCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL") Path model;

    @Mixin RuntimeOptions runtime;

    @Option(names = "--repeats", defaultValue = "3") int repeats;

    @Override
    public Integer call() throws Exception {
        ModelDefinition definition;
        byte[] onnx;
        try (QualityModel served = ModelLoader.qualityModel(model, runtime.options())) {
            definition = served.definition();
            onnx = served.pixelGraph(View.TECHNICAL); // what a scorer serves: INT8 for a quantised version
        }
        warmUpRuntime();
        System.gc();
        // Count only what inference needs (session, weights in ONNX Runtime, activations): the peak is measured
        // from here, after loading.
        EnergyMeter meter = EnergyMeter.system();
        ResidentMemory.Measured<ModelCosts.ClipCost> latency = ResidentMemory.measure(
                () -> ModelCosts.latencyAndEnergy(onnx, runtime.options(), repeats, meter));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", definition.version());
        out.put("latency_s_per_clip", latency.value().latencySecondsPerClip());
        out.put("peak_memory_bytes", latency.peakBytes());
        EnergyMeter.Usage perClip = latency.value().perClip();
        out.put("energy_source", perClip.source());
        out.put("joules_per_clip", perClip.hasJoules() ? perClip.joules() : null);
        out.put("cpu_s_per_clip", perClip.cpuSeconds());
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    /**
     * Starts ONNX Runtime once on a trivial graph, so that loading its native code and thread pools (the same for
     * every model) is not counted as the model's memory.
     */
    private void warmUpRuntime() throws Exception {
        var g = new GraphBuilder("warm-up");
        String x = g.input("x", OnnxMl.TensorProto.DataType.FLOAT, 1);
        g.output(x, "y", OnnxMl.TensorProto.DataType.FLOAT, 1);
        try (var s = OrtRuntime.open(g.build(Map.of()).toByteArray(), runtime.options());
             var t = OnnxTensor.createTensor(OrtRuntime.environment(), new float[] {1f});
             var r = s.session().run(Map.of("x", t))) {
            r.get(0);
        }
    }
}
