package dev.vqamini.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vqamini.clips.View;
import dev.vqamini.model.RandomWeights;
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

/** The INT8-pointwise graph: every block's pointwise layer quantised, nothing else, and close to the fp32 graph. */
class Int8GraphTest {

    @Test
    void quantisesExactlyThePointwiseLayersAndStaysCloseToFp32() throws Exception {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {1, 1, 2, 1}, 8);
        StateDict w = RandomWeights.generate(new ModelSpec(b, b), 11);
        BranchKeys keys = BranchKeys.of(View.TECHNICAL);
        ModelProto fp = BranchGraph.build(b, w, keys, InputFormat.RGB_UINT8, Map.of());
        ModelProto q = BranchGraph.buildInt8(b, w, keys, InputFormat.RGB_UINT8, Map.of());
        int blocks = 1 + 1 + 2 + 1;
        long integer = q.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("MatMulInteger"::equals).count();
        long fpMatMuls = fp.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("MatMul"::equals).count();
        long qMatMuls = q.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("MatMul"::equals).count();
        assertEquals(2 * blocks, integer, "pwconv1 and pwconv2 of every block");
        assertEquals(fpMatMuls - 2 * blocks, qMatMuls, "stem and head stay fp32");
        assertTrue(q.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("graph.int8") && p.getValue().equals("pointwise")));
        ModelProto first = BranchGraph.buildInt8(b, w, keys, InputFormat.RGB_UINT8, Map.of(),
                java.util.EnumSet.of(BranchGraph.Int8Layer.PWCONV1));
        assertEquals(blocks, first.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("MatMulInteger"::equals).count(),
                "pwconv1 only");
        assertTrue(first.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("graph.int8") && p.getValue().equals("pwconv1")));

        long[] shape = {1, 3, 4, 64, 64};
        byte[] pixels = new byte[3 * 4 * 64 * 64];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        RunnerOptions cpu = new RunnerOptions(1, false, 0);
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
        assertTrue(maxDiff <= 0.05 * range, "head map max |diff| " + maxDiff + " against a range of " + range);
        assertEquals(a.scores()[0], c.scores()[0], 0.02 * Math.max(1, Math.abs(a.scores()[0])));
    }
}
