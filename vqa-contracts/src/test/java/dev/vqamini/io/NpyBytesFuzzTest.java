package dev.vqamini.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NpyBytes#read} on arbitrary bytes: an {@link IOException} naming what is wrong or an array, never another
 * exception and never a hang. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/io/NpyBytesFuzzTestInputs/readNpyBytes/}.
 */
class NpyBytesFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void readNpyBytes(byte[] input) {
        try {
            NpyBytes.read(new ByteArrayInputStream(input), "fuzz.npy");
        } catch (IOException expected) {
            // the documented refusal
        }
    }
}
