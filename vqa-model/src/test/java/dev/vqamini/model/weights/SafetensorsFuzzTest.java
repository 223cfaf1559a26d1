package dev.vqamini.model.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Safetensors#read} on arbitrary bytes: a {@link WeightFileException} or a state_dict, never another
 * exception (huge declared lengths, offsets or shapes included) and never a hang. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/model/weights/SafetensorsFuzzTestInputs/readSafetensors/}.
 */
class SafetensorsFuzzTest {

    private static final Path FILE = FuzzFiles.temp("fuzz", ".safetensors");

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void readSafetensors(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            Safetensors.read(FILE);
        } catch (WeightFileException expected) {
            // the documented refusal
        }
    }
}
