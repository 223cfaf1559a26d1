package dev.vqamini.cli;

import dev.vqamini.testkit.CapturedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.serving.ClipShape;
import dev.vqamini.serving.ServingModel;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;

/** vqa quantize on a small bundle and real encoded videos: the gate decides, the manifest records, a scorer serves it. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAnInt8VersionThatScorersServeOnlyWhenTheGatePasses() throws Exception {
        Path videos = dir.resolve("synth");
        SynthVideos.write(videos, 4, 1, 96, 64);
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {1, 1, 2, 1}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        Path fp32 = dir.resolve("fp32");
        ModelBundle.write(new ModelDefinition("dover-mobile", "tiny", spec, RandomWeights.generate(spec, 1),
                FusionConstants.PUBLISHED, Map.of()), fp32);

        // a gate no quantised model can pass: refused, nothing written
        Path refused = dir.resolve("refused");
        CapturedRun strict = VideoCommandsTest.run("quantize", fp32.toString(), "--calibration", videos.toString(),
                "--calibration-videos", "2", "--max-fused-diff", "0", "--out", refused.toString(), "--cpu", "--threads", "2");
        assertEquals(1, strict.exit(), strict.err());
        assertTrue(strict.out().contains("FAILED") && strict.out().contains("nothing written"), strict.out());
        assertFalse(Files.exists(refused));

        Path int8 = dir.resolve("int8");
        CapturedRun ok = VideoCommandsTest.run("quantize", fp32.toString(), "--calibration", videos.toString(),
                "--calibration-videos", "2", "--layers", "pwconv1,pwconv2,stem", "--min-srcc", "-1", "--max-fused-diff", "1",
                "--out", int8.toString(), "--json", "--cpu", "--threads", "2");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.err().contains("calibrating on") && ok.err().contains("gate: scoring"), "progress: " + ok.err());
        JsonNode report = new ObjectMapper().readTree(ok.out());
        assertEquals("tiny-int8", report.get("version").asText());
        JsonNode gate = report.get("quantization").get("gate");
        assertEquals(4, gate.get("videos").asInt());
        double diff = gate.get("maxAbsFusedDiff").asDouble();
        assertTrue(diff > 0 && diff < 0.1, "INT8 differs from fp32, a little: " + diff);

        ModelBundle written = ModelBundle.read(int8);
        assertEquals("tiny", written.manifest().parent());
        assertEquals("int8-static-qdq", written.manifest().quantization().scheme());
        assertEquals(List.of("pwconv1", "pwconv2", "stem"), written.manifest().quantization().layers());
        assertEquals(2, written.manifest().quantization().calibrationVideos());
        ModelProto technical = ModelProto.parseFrom(written.graphs().get(View.TECHNICAL));
        assertEquals(2 * 5, technical.getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .filter("QuantizeLinear"::equals).count(), "an activation quantiser per pointwise layer of the 5 blocks");

        // a scorer loads it through its checks (signature, provenance, probe inference) like any version
        try (ServingModel served = ServingModel.load("tiny-int8", ServingBundle.archive(int8), new RunnerOptions(1, false, 0),
                new ClipShape(32, 224, 224), 2)) {
            float[] scores = served.score(View.TECHNICAL, new byte[3 * 32 * 224 * 224], 1, new ClipShape(32, 224, 224));
            assertTrue(Float.isFinite(scores[0]));
        }
        String video = Files.list(videos).filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow().toString();
        CapturedRun scored = VideoCommandsTest.run("score", "--weights", int8.toString(), video, "--json", "--cpu", "--threads", "2");
        assertEquals(0, scored.exit(), scored.err());
        assertTrue(scored.out().contains("tiny-int8"), scored.out());
        CapturedRun reference = VideoCommandsTest.run("score", "--weights", fp32.toString(), video, "--json", "--cpu", "--threads", "2");
        assertEquals(0, reference.exit(), reference.err());
        double int8Fused = new ObjectMapper().readTree(scored.out()).get("results").get(0).get("fused").asDouble();
        double fp32Fused = new ObjectMapper().readTree(reference.out()).get("results").get(0).get("fused").asDouble();
        assertNotEquals(fp32Fused, int8Fused, "vqa score runs the bundle's INT8 graphs, not fp32 graphs rebuilt from its weights");
        assertEquals(fp32Fused, int8Fused, 0.1);

        CapturedRun again = VideoCommandsTest.run("quantize", int8.toString(), "--calibration", videos.toString(),
                "--out", dir.resolve("twice").toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already quantised"), again.err());
    }
}
