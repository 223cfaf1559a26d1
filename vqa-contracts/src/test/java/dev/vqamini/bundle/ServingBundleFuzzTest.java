package dev.vqamini.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ServingBundle#read(byte[])} on arbitrary bytes (what vqa.models chunks join to): a bundle or an
 * {@link IllegalArgumentException} naming what is wrong, never another exception and never a hang. Seeds and past
 * findings: {@code src/test/resources/dev/vqamini/release/ServingBundleFuzzTestInputs/read/}.
 */
class ServingBundleFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void read(byte[] archive) {
        try {
            ServingBundle.read(archive);
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }
}
