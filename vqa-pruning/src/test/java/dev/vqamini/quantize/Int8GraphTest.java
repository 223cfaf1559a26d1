package dev.vqamini.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.GraphNames;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.onnx.Int8Layer;
import dev.vqamini.model.onnx.StaticInt8;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.vqamini.spec.FusionConstants;
import java.util.EnumSet;
import org.junit.jupiter.api.Assertions;

/** The static INT8 graph: every block's pointwise layers quantised from calibrated ranges, nothing else, and close to the fp32 graph. */
class Int8GraphTest {

    @Test
    void staticInt8IsCalibratedOnClipsAndStaysCloseToFp32() throws Exception {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {1, 1, 2, 1}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        StateDict w = RandomWeights.generate(spec, 11);
        ModelDefinition def = new ModelDefinition("dover-mobile", "t", spec, w, FusionConstants.PUBLISHED, Map.of());
        StaticInt8 q;
        try (Int8Calibrator calibrator = new Int8Calibrator(def, EnumSet.allOf(Int8Layer.class), CPU)) {
            for (int seed = 3; seed < 6; seed++) {
                for (View v : View.values()) {
                    calibrator.add(new ViewClips(v, 1, 4, 64, 64, pixels(seed), new int[][] {{0, 1, 2, 3}}));
                }
            }
            assertEquals(3, calibrator.clips().get(View.TECHNICAL));
            q = calibrator.result(0.5);
        }
        int blocks = 1 + 1 + 2 + 1;
        assertEquals(2 * 2 * blocks, q.ranges().size(), "a range per quantised layer of each branch");
        StaticInt8.ChannelRange first = q.range("technical_backbone.stages.0.0.pwconv1", 8);
        for (int c = 0; c < 8; c++) {
            assertTrue(first.min()[c] < first.max()[c], "LayerNorm's output spans a range in channel " + c);
        }
        BranchKeys keys = BranchKeys.of(View.TECHNICAL);
        ModelProto fp = BranchGraph.build(b, w, keys, InputFormat.RGB_UINT8, Map.of());
        ModelProto s = BranchGraph.buildStaticInt8(b, w, keys, InputFormat.RGB_UINT8, Map.of(), q);
        assertEquals(2 * blocks, count(s, "QuantizeLinear"), "one activation quantiser per pwconv");
        assertEquals(count(fp, "MatMul") + 1, count(s, "MatMul"), "the quantised layers stay MatMuls between QDQ pairs; the stem has two");
        assertEquals(2 * 2 * blocks + 4, count(s, "DequantizeLinear"), "input and weights of each, and of the stem's two parts");
        assertEquals(1, count(fp, "Cast"));
        assertEquals(0, count(s, "Cast"), "the INT8 stem takes the uint8 pixels as they are");
        assertTrue(s.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(BranchGraph.INT8_METADATA)
                && p.getValue().equals("static:pwconv1+pwconv2+stem")));
        assertClose(fp, s, pixels(4)); // a calibration clip (held-out accuracy is the quantize command's gate, on videos)

        StaticInt8 otherArchitecture = new StaticInt8(q.layers(), 0.5, Map.of());
        IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> BranchGraph.buildStaticInt8(b, w, keys, InputFormat.RGB_UINT8, Map.of(), otherArchitecture));
        assertTrue(e.getMessage().contains("technical_backbone.stages.0.0.pwconv1"), e.getMessage());
    }

    private static final RunnerOptions CPU = new RunnerOptions(1, false, 0);

    private static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(op::equals).count();
    }

    private static byte[] pixels(int seed) {
        byte[] pixels = new byte[3 * 4 * 64 * 64];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        return pixels;
    }

    private static void assertClose(ModelProto fp, ModelProto q, byte[] pixels) throws Exception {
        long[] shape = {1, 3, 4, 64, 64};
        RunnerOptions cpu = CPU;
        BranchOutput a;
        BranchOutput c;
        try (BranchRunner x = new BranchRunner(fp.toByteArray(), GraphNames.PIXELS, cpu);
             BranchRunner y = new BranchRunner(q.toByteArray(), GraphNames.PIXELS, cpu)) {
            a = x.runPixels(pixels, shape);
            c = y.runPixels(pixels, shape);
        }
        double maxDiff = 0;
        double range = 0;
        for (int i = 0; i < a.headMap().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.headMap()[i] - c.headMap()[i]));
            range = Math.max(range, Math.abs(a.headMap()[i]));
        }
        assertTrue(maxDiff > 0, "quantised: not bit-identical to fp32");
        assertTrue(maxDiff <= 0.1 * range, "head map max |diff| " + maxDiff + " against a range of " + range);
        assertEquals(a.scores()[0], c.scores()[0], 0.02 * Math.max(1, Math.abs(a.scores()[0])));
    }
}
