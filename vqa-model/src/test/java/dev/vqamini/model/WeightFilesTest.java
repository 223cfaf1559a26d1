package dev.vqamini.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.model.weights.SpecInference;
import dev.vqamini.model.weights.PthReader;
import dev.vqamini.model.weights.Safetensors;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.model.weights.WeightFileException;
import dev.vqamini.clips.View;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Arrays;

class WeightFilesTest {

    @Test
    void readsTheRealKeyNamesOfATorchSaveFile() {
        StateDict sd = PthReader.read(Fixtures.path("tiny/weights.pth"));
        assertTrue(sd.contains("technical_backbone.stages.2.5.grn.gamma"));
        assertTrue(sd.get("technical_backbone.stages.2.5.grn.gamma").hasShape(1, 1, 1, 96));
        assertTrue(sd.get("aesthetic_backbone.stages.0.1.dwconv.weight").hasShape(8, 1, 3, 7, 7));
        assertTrue(sd.get("aesthetic_backbone.head.weight").hasShape(1000, 32));
    }

    @Test
    void refusesAPickleThatWouldRunACommand() {
        WeightFileException e = assertThrows(WeightFileException.class, () -> PthReader.read(Fixtures.path("evil/evil.pth")));
        assertTrue(e.getMessage().contains("refusing to load global 'posix.system'"), e.getMessage());
        assertFalse(Files.exists(Path.of("/tmp/vqa_pwned")));
    }

    @Test
    void namesTheFileOfATruncatedOrBogusArchive(@TempDir Path dir) throws Exception {
        WeightFileException e = assertThrows(WeightFileException.class, () -> PthReader.read(Fixtures.path("evil/truncated.pth")));
        assertTrue(e.getMessage().contains("truncated.pth"), e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.pth"), "not a model");
        assertTrue(assertThrows(WeightFileException.class, () -> PthReader.read(text)).getMessage().contains("notes.pth"));
        assertTrue(assertThrows(WeightFileException.class, () -> PthReader.read(dir.resolve("missing.pth")))
                .getMessage().contains("no such weights file"));
    }

    @Test
    void missingOrMisshapenKeysAreNamedWithBothShapes() {
        StateDict sd = PthReader.read(Fixtures.path("tiny/weights.pth"));
        var spec = SpecInference.branch(sd, View.TECHNICAL);
        Map<String, Tensor> broken = new LinkedHashMap<>(sd.tensors());
        broken.put("technical_backbone.stages.1.0.norm.weight", new Tensor(new long[] {15}, new float[15]));
        WeightFileException shape = assertThrows(WeightFileException.class, () -> BranchGraph.build(spec,
                new StateDict("broken.pth", broken), BranchKeys.of(View.TECHNICAL), InputFormat.RGB_UINT8, Map.of()));
        assertTrue(shape.getMessage().contains("'technical_backbone.stages.1.0.norm.weight' has shape [15]"), shape.getMessage());
        assertTrue(shape.getMessage().contains("needs [16]"), shape.getMessage());
        broken.remove("technical_backbone.stages.1.0.norm.weight");
        WeightFileException missing = assertThrows(WeightFileException.class, () -> BranchGraph.build(spec,
                new StateDict("broken.pth", broken), BranchKeys.of(View.TECHNICAL), InputFormat.RGB_UINT8, Map.of()));
        assertTrue(missing.getMessage().contains("missing key 'technical_backbone.stages.1.0.norm.weight'"), missing.getMessage());
    }

    @Test
    void safetensorsRoundTripsExactly(@TempDir Path dir) throws Exception {
        StateDict sd = PthReader.read(Fixtures.path("tiny/weights.pth"));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(sd, Map.of("k", "v"), file);
        StateDict back = Safetensors.read(file);
        assertEquals(sd.keys().stream().toList(), back.keys().stream().toList());
        for (String k : sd.keys()) {
            assertEquals(sd.get(k), back.get(k), k);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertTrue(assertThrows(WeightFileException.class, () -> Safetensors.read(file)).getMessage().contains("truncated"));
    }
}
