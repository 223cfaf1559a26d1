package dev.vqamini.quantize;

import ai.onnxruntime.OrtException;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.GraphNames;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.onnx.Int8Layer;
import dev.vqamini.model.onnx.StaticInt8;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Static INT8 calibration: runs the fp32 graphs, with range probes on the layers to quantise, over real views and
 * keeps each layer input's per-channel min and max (MinMax calibration; SmoothQuant then evens the channels out).
 */
public final class Int8Calibrator implements AutoCloseable {

    private final ModelDefinition definition;
    private final Set<Int8Layer> layers;
    private final Map<View, BranchRunner> probes = new EnumMap<>(View.class);
    private final Map<String, StaticInt8.ChannelRange> ranges = new TreeMap<>();
    private final Map<View, Integer> clips = new EnumMap<>(View.class);

    public Int8Calibrator(ModelDefinition definition, Set<Int8Layer> layers, RunnerOptions options) throws OrtException {
        this.definition = definition;
        this.layers = Set.copyOf(layers);
        try {
            for (View v : View.values()) {
                byte[] graph = BranchGraph.buildWithRangeProbes(definition.spec().branch(v), definition.weights(),
                        BranchKeys.of(v), InputFormat.RGB_UINT8, layers).toByteArray();
                probes.put(v, new BranchRunner(graph, GraphNames.PIXELS, options));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs one video's clips of one view and widens the ranges by what they reach. */
    public void add(ViewClips c) throws OrtException {
        BranchOutput out = probes.get(c.view()).runPixels(c.pixels(), new long[] {c.clips(), 3, c.frames(), c.height(), c.width()});
        String min = BranchGraph.rangeMin("");
        for (Map.Entry<String, float[]> e : out.extras().entrySet()) {
            if (e.getKey().startsWith(min)) {
                String key = e.getKey().substring(min.length());
                StaticInt8.ChannelRange r = new StaticInt8.ChannelRange(e.getValue(), out.extras().get(BranchGraph.rangeMax(key)));
                ranges.merge(key, r, StaticInt8.ChannelRange::union);
            }
        }
        clips.merge(c.view(), c.clips(), Integer::sum);
    }

    /** Clips seen so far, per view. */
    public Map<View, Integer> clips() {
        return Map.copyOf(clips);
    }

    /**
     * What the INT8 graphs are built from.
     *
     * @throws IllegalStateException when a view has not been calibrated on any clip
     */
    public StaticInt8 result(double smoothing) {
        for (View v : View.values()) {
            if (clips.getOrDefault(v, 0) == 0) {
                throw new IllegalStateException("INT8 calibration of " + definition.version() + " saw no " + v.key()
                        + " clip; give it at least one video");
            }
        }
        return new StaticInt8(layers, smoothing, ranges);
    }

    @Override
    public void close() throws OrtException {
        for (BranchRunner r : probes.values()) {
            r.close();
        }
        probes.clear();
    }
}
