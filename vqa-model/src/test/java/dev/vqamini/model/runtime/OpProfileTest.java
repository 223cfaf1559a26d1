package dev.vqamini.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.onnx.GraphNames;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ONNX Runtime profile of a tiny DOVER-shaped graph, read back per op type. */
class OpProfileTest {

    @TempDir
    Path dir;

    @Test
    void sumsKernelTimePerOpTypeOverTheProfiledRuns() throws Exception {
        byte[] graph = TinyGraphs.technical("tiny-profile", 3);
        System.setProperty("vqa.ort.profile", dir.resolve("p").toString());
        Path trace;
        try (BranchRunner runner = new BranchRunner(graph, GraphNames.PIXELS, new RunnerOptions(1, false, 0))) {
            System.clearProperty("vqa.ort.profile");
            for (int r = 0; r < 3; r++) {
                runner.runPixels(new byte[3 * 4 * 64 * 64], new long[] {1, 3, 4, 64, 64});
            }
            trace = Path.of(runner.endProfiling());
        } finally {
            System.clearProperty("vqa.ort.profile");
        }
        OpProfile p = OpProfile.read(trace, 3);
        Set<String> types = p.byType().stream().map(OpProfile.OpTime::opType).collect(Collectors.toSet());
        assertTrue(types.contains("Conv") && types.contains("LayerNormalization"), types.toString());
        assertEquals(1.0, p.byType().stream().mapToDouble(OpProfile.OpTime::share).sum(), 1e-9);
        assertTrue(p.millisPerRun() > 0);
        for (int i = 1; i < p.byType().size(); i++) {
            assertTrue(p.byType().get(i - 1).millisPerRun() >= p.byType().get(i).millisPerRun(), "sorted, most time first");
        }
        // 3 runs: a node count per run is a whole number (every node runs once per run)
        p.byType().forEach(t -> assertEquals(Math.rint(t.nodesPerRun()), t.nodesPerRun(), 1e-9, t.toString()));
    }
}
