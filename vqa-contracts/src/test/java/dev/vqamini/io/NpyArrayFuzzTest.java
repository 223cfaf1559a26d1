package dev.vqamini.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NpyArray#read} on arbitrary bytes: an {@link IOException} naming what is wrong or an array, never another
 * exception and never a hang. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/io/NpyArrayFuzzTestInputs/readNpyArray/}.
 */
class NpyArrayFuzzTest {

    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("fuzz", ".npy");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void readNpyArray(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            NpyArray.read(FILE);
        } catch (IOException expected) {
            // the documented refusal
        }
    }
}
