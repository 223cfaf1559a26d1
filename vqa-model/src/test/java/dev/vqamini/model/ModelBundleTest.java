package dev.vqamini.model;

import dev.vqamini.model.bundle.ModelLoader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.io.NpyArray;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.WeightFileException;
import dev.vqamini.clips.View;
import dev.vqamini.wire.proto.ModelChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.google.protobuf.ByteString;
import dev.vqamini.model.runtime.OrtRuntime;
import java.util.Arrays;

class ModelBundleTest {

    @Test
    void aBundleScoresLikeTheStateDictItCameFrom(@TempDir Path dir) throws Exception {
        ModelDefinition pth = ModelLoader.load(Fixtures.path("tiny/weights.pth"));
        ModelBundle written = ModelBundle.write(pth, dir.resolve("b"), ModelBundle.unprunedProvenance(pth), Map.of("note", "test"));
        assertEquals(164_802L, written.manifest().parameters());
        ModelBundle read = ModelBundle.read(dir.resolve("b"));
        assertEquals(pth.version(), read.definition().version());
        NpyArray input = Fixtures.npy("tiny/technical_input.npy");
        RunnerOptions cpu = new RunnerOptions(2, false, 0);
        try (QualityModel a = new QualityModel(pth, cpu); QualityModel b = new QualityModel(read.definition(), cpu)) {
            assertArrayEquals(a.runNormalised(View.TECHNICAL, input.data(), input.shape()).headMap(),
                    b.runNormalised(View.TECHNICAL, input.data(), input.shape()).headMap());
        }
        // The ONNX file in the bundle is a standalone model any ONNX Runtime user can load.
        try (var session = OrtRuntime.open(Files.readAllBytes(dir.resolve("b/technical.onnx")), cpu)) {
            assertEquals(List.of("pixels"), List.copyOf(session.session().getInputNames()));
            assertEquals(pth.version(), session.session().getMetadata().getCustomMetadata().get("model.version"));
        }
    }

    @Test
    void aTamperedFileIsRefusedByChecksum(@TempDir Path dir) throws Exception {
        ModelDefinition pth = ModelLoader.load(Fixtures.path("tiny/weights.pth"));
        ModelBundle.write(pth, dir);
        byte[] onnx = Files.readAllBytes(dir.resolve("aesthetic.onnx"));
        onnx[onnx.length / 2] ^= 1;
        Files.write(dir.resolve("aesthetic.onnx"), onnx);
        WeightFileException e = assertThrows(WeightFileException.class, () -> ModelBundle.read(dir));
        assertTrue(e.getMessage().contains("aesthetic.onnx has sha256"), e.getMessage());
    }

    @Test
    void chunksReassembleAndRefuseGapsAndCorruption(@TempDir Path dir) throws Exception {
        ModelDefinition pth = ModelLoader.load(Fixtures.path("tiny/weights.pth"));
        ModelBundle.write(pth, dir.resolve("b"));
        byte[] archive = ModelBundle.zip(dir.resolve("b"));
        byte[] big = new byte[BundleChunks.CHUNK_BYTES * 2 + 17];
        System.arraycopy(archive, 0, big, 0, archive.length);
        List<ModelChunk> chunks = BundleChunks.split("tiny", "v1", big);
        assertEquals(3, chunks.size());
        List<ModelChunk> shuffled = new ArrayList<>(List.of(chunks.get(2), chunks.get(0), chunks.get(1)));
        assertArrayEquals(big, BundleChunks.join(shuffled));
        assertThrows(IllegalArgumentException.class, () -> BundleChunks.join(chunks.subList(0, 2)));
        byte[] garbage = new byte[BundleChunks.CHUNK_BYTES];
        Arrays.fill(garbage, (byte) 7);
        ModelChunk bad = chunks.get(1).toBuilder().setData(ByteString.copyFrom(garbage)).build();
        assertThrows(IllegalArgumentException.class, () -> BundleChunks.join(List.of(chunks.get(0), bad, chunks.get(2))));

        List<ModelChunk> small = BundleChunks.split("tiny", "v1", archive);
        ModelBundle.unzip(BundleChunks.join(small), dir.resolve("unzipped"));
        assertEquals(pth.version(), ModelBundle.read(dir.resolve("unzipped")).definition().version());
    }
}
