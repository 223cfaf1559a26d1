package dev.vqamini.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.onnx.GraphNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.util.Random;

class RunnerOptionsTest {

    @AfterEach
    void clear() {
        System.clearProperty("vqa.ort.spinning");
    }

    @Test
    void spinningFollowsThePropertyUnlessSetExplicitly() {
        System.setProperty("vqa.ort.spinning", "false");
        RunnerOptions configured = new RunnerOptions(2, false, 0);
        assertFalse(configured.spinning(), "vqa.ort.spinning=false turns spinning off");
        System.setProperty("vqa.ort.spinning", "true");
        assertTrue(new RunnerOptions(2, false, 0).spinning());

        RunnerOptions scorer = configured.withSpinning(true).withThreads(3).cpuOnly();
        assertTrue(scorer.spinning(), "withThreads and cpuOnly keep the explicit setting");
        assertEquals(3, scorer.intraOpThreads());
        assertFalse(RunnerOptions.defaults().withSpinning(false).withThreads(1).spinning());
    }

    @Test
    void spinningChangesSchedulingNotScores() throws Exception {
        byte[] graph = TinyGraphs.technical("tiny-spin", 5);
        byte[] pixels = new byte[3 * 4 * 64 * 64];
        new Random(5).nextBytes(pixels);
        long[] shape = {1, 3, 4, 64, 64};
        float[][] scores = new float[2][];
        for (boolean spin : new boolean[] {true, false}) {
            // ONNX Runtime refuses a session whose config entry it does not know, so opening is part of the check
            try (BranchRunner runner = new BranchRunner(graph, GraphNames.PIXELS, new RunnerOptions(2, false, 0, spin))) {
                scores[spin ? 0 : 1] = runner.runPixels(pixels, shape).headMap();
            }
        }
        assertArrayEquals(scores[0], scores[1], 1e-6f);
    }
}
