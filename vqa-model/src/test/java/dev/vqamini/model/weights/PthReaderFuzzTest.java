package dev.vqamini.model.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PthReader#read} on arbitrary bytes (zip-format and legacy torch.save files, through the allow-list
 * unpickler): a {@link WeightFileException} or a state_dict, never another exception and never a hang. Seeds and
 * past findings: {@code src/test/resources/dev/vqamini/model/weights/PthReaderFuzzTestInputs/readPth/}.
 * Regression mode by default; {@code -Pfuzz} fuzzes it (one fuzz test per class: Jazzer fuzzes one per JVM).
 */
class PthReaderFuzzTest {

    private static final Path FILE = FuzzFiles.temp("fuzz", ".pth");

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void readPth(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            PthReader.read(FILE);
        } catch (WeightFileException expected) {
            // the documented refusal
        }
    }
}
