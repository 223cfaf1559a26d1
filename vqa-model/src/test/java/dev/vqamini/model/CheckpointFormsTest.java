package dev.vqamini.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.weights.PthReader;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.WeightFileException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import java.util.Arrays;

/**
 * Checkpoints as torch.save writes them from {@code model.state_dict()} (tools/reference/weight_forms.py): each form
 * must read to exactly the float32 tensors of the plain-dict reference.
 */
class CheckpointFormsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "state_dict.pth, plain.pth",          // OrderedDict with _metadata: the pickle ends in BUILD
            "wrapped.pth, plain.pth",             // {"state_dict": sd, "epoch": 12, "best": {...}, ...}
            "legacy.pth, plain.pth",              // _use_new_zipfile_serialization=False
            "legacy_wrapped.pth, plain.pth",
            "shared_storage.pth, plain.pth",      // one storage, tensors at offsets, transposed strides
            "float16.pth, float16_ref.pth",
            "bfloat16.pth, bfloat16_ref.pth"})
    void everyFormReadsToTheSameFloat32Tensors(String form, String reference) {
        StateDict expected = PthReader.read(Fixtures.path("weight-forms/" + reference));
        StateDict actual = PthReader.read(Fixtures.path("weight-forms/" + form));
        assertEquals(288, expected.keys().size());
        assertEquals(expected.keys().stream().sorted().toList(), actual.keys().stream().sorted().toList());
        for (String k : expected.keys()) {
            assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), k);
            assertArrayEquals(expected.get(k).data(), actual.get(k).data(), 0f, form + ": " + k);
        }
    }

    @Test
    void halfPrecisionReallyDiffersFromTheFloat32Weights() {
        // guards the test above: the low-precision references are not just copies of plain.pth
        StateDict plain = PthReader.read(Fixtures.path("weight-forms/plain.pth"));
        StateDict half = PthReader.read(Fixtures.path("weight-forms/float16.pth"));
        String key = "technical_backbone.stages.2.3.pwconv1.weight";
        float[] a = plain.get(key).data();
        float[] b = half.get(key).data();
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            assertEquals(a[i], b[i], Math.abs(a[i]) * 1e-3 + 1e-7, key);
        }
        assertTrue(maxDiff > 0, "float16 values equal float32 ones exactly: the fixture is not half precision");
    }

    @Test
    void buildOnAnythingButAStateDictIsRefusedByName(@TempDir Path dir) throws Exception {
        // protocol 2: EMPTY_DICT EMPTY_DICT BUILD STOP: sets state on a plain dict
        Path file = zipWithPickle(dir.resolve("build.pth"), new byte[] {(byte) 0x80, 2, '}', '}', 'b', '.'});
        WeightFileException e = assertThrows(WeightFileException.class, () -> PthReader.read(file));
        assertTrue(e.getMessage().contains("refusing pickle BUILD (set state) on HashMap"), e.getMessage());
    }

    @Test
    void aNonTensorEntryInABareStateDictIsNamed(@TempDir Path dir) throws Exception {
        // {"weight": 3}: plain data but no tensors anywhere
        byte[] pickle = {(byte) 0x80, 2, '}', 'X', 6, 0, 0, 0, 'w', 'e', 'i', 'g', 'h', 't', 'K', 3, 's', '.'};
        Path file = zipWithPickle(dir.resolve("scalar.pth"), pickle);
        WeightFileException e = assertThrows(WeightFileException.class, () -> PthReader.read(file));
        assertTrue(e.getMessage().contains("no dict of tensors found"), e.getMessage());
    }

    @Test
    void aTruncatedLegacyFileSaysSo(@TempDir Path dir) throws Exception {
        byte[] legacy = Files.readAllBytes(Fixtures.path("weight-forms/legacy.pth"));
        Path cut = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(legacy, legacy.length - 1000));
        WeightFileException e = assertThrows(WeightFileException.class, () -> PthReader.read(cut));
        assertTrue(e.getMessage().contains("cut.pth") && e.getMessage().contains("truncated"), e.getMessage());
    }

    private static Path zipWithPickle(Path file, byte[] pickle) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return Files.write(file, bytes.toByteArray());
    }
}
