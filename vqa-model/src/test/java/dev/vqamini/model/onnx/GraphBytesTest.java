package dev.vqamini.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.bundle.Digests;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same model gives the same ONNX bytes in every JVM (what replaying a pruned version relies on): built here and
 * in two fresh JVMs, whose hash seeds, and so the iteration order of any unordered map, differ.
 */
class GraphBytesTest {

    /** Prints the sha256 of the tiny model's technical graph. */
    public static void main(String[] args) {
        System.out.println(sha());
    }

    static String sha() {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {1, 1, 2, 1}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        ModelDefinition def = new ModelDefinition("tiny", "tiny-bytes", spec, RandomWeights.generate(spec, 5),
                FusionConstants.PUBLISHED, Map.of("a", "1", "b", "2", "c", "3"));
        return Digests.sha256(QualityModel.onnx(def, View.TECHNICAL, InputFormat.RGB_UINT8, Map.of("x", "4", "y", "5")));
    }

    @Test
    void theSameModelGivesTheSameBytesInEveryJvm() throws Exception {
        String here = sha();
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), GraphBytesTest.class.getName()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.waitFor(), out);
            assertEquals(here, out.lines().reduce((a, c) -> c).orElse(""), "JVM " + i + " printed: " + out);
        }
    }
}
