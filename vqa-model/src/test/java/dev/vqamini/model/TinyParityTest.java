package dev.vqamini.model;

import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.spec.FusionConstants;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vqamini.io.NpyArray;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.vqamini.model.onnx.InputFormat;

/** The Java model against PyTorch outputs of the same weights and inputs (tiny config, real key names). */
class TinyParityTest {

    private static QualityModel model;

    @BeforeAll
    static void load() {
        model = ModelLoader.qualityModel(Fixtures.path("tiny/weights.pth"), new RunnerOptions(2, false, 0));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void specIsReadOffTheStateDict() throws Exception {
        BranchSpec expected = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
        assertEquals(expected, model.definition().spec().technical());
        assertEquals(expected, model.definition().spec().aesthetic());
        JsonNode config = Fixtures.json("tiny/config.json");
        assertEquals(config.get("params_without_classifier").asLong(),
                ModelComplexity.of(model.definition().spec(), 32, 224, 224).parameters());
        assertEquals(config.get("params_with_classifier").asLong(), model.definition().weights().parameterCount(""));
    }

    @Test
    void headMapsAndScoresMatchPyTorch() throws Exception {
        JsonNode scores = Fixtures.json("tiny/scores.json");
        for (View view : View.values()) {
            NpyArray input = Fixtures.npy("tiny/" + view.key() + "_input.npy");
            NpyArray expected = Fixtures.npy("tiny/" + view.key() + "_head_map.npy");
            BranchOutput out = model.runNormalised(view, input.data(), input.shape());
            assertArrayEquals(expected.shape(), out.headMapShape(), view + " head map shape");
            double err = Fixtures.maxAbsDiff(expected.data(), out.headMap());
            assertTrue(err <= 1e-5, view + " head map max abs error " + err);
            if (view == View.AESTHETIC) {
                double featureErr = Fixtures.maxAbsDiff(Fixtures.npy("tiny/aesthetic_pooled_features.npy").data(), out.features());
                assertTrue(featureErr <= 1e-5, "pooled features max abs error " + featureErr);
            }
            for (int i = 0; i < out.scores().length; i++) {
                assertEquals(scores.get(view.key()).get(i).asDouble(), out.scores()[i], 5e-6, view + " clip " + i);
            }
        }
    }

    @Test
    void sizesWhoseStagesAreNotEvenAreRefusedNamingTheMultiple() {
        // 48 = 4 x 12: the stem takes it, but stage 2's 6 x 6 halves to 3 x 3, whose downsampling has no 2 x 2 patches
        int n = 1, t = 4, h = 48, w = 64;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.run(new ViewClips(View.TECHNICAL, n, t, h, w, new byte[n * 3 * t * h * w], new int[n][t])));
        assertTrue(e.getMessage().contains("multiples of 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> model.runNormalised(View.TECHNICAL, new float[n * 3 * t * h * w], new long[] {n, 3, t, h, w}));
        assertThrows(IllegalArgumentException.class,
                () -> model.runNormalised(View.TECHNICAL, new float[n * 3 * 3 * 64 * 64], new long[] {n, 3, 3, 64, 64}));
    }

    @Test
    void uint8InputWithFoldedNormalisationMatchesNormalisedInput() {
        int n = 2, t = 4, h = 64, w = 96;
        byte[] pixels = new byte[n * 3 * t * h * w];
        new Random(7).nextBytes(pixels);
        float[] normalised = new float[pixels.length];
        int plane = t * h * w;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % 3;
            normalised[i] = (float) (((pixels[i] & 0xff) - InputFormat.MEAN[c])
                    / InputFormat.STD[c]);
        }
        long[] shape = {n, 3, t, h, w};
        BranchOutput fromFloats = model.runNormalised(View.TECHNICAL, normalised, shape);
        BranchOutput fromPixels = model.run(new ViewClips(View.TECHNICAL, n, t, h, w, pixels, new int[n][t]));
        double err = Fixtures.maxAbsDiff(fromFloats.headMap(), fromPixels.headMap());
        assertTrue(err <= 1e-4, "uint8 vs float head map max abs error " + err);
    }

    @Test
    void videoScoreFusesTheBranchMeans() {
        int t = 4, h = 64, w = 96;
        byte[] tech = new byte[2 * 3 * t * h * w];
        byte[] aes = new byte[3 * t * h * w];
        new Random(3).nextBytes(tech);
        new Random(4).nextBytes(aes);
        ViewClips technical = new ViewClips(View.TECHNICAL, 2, t, h, w, tech, new int[2][t]);
        ViewClips aesthetic = new ViewClips(View.AESTHETIC, 1, t, h, w, aes, new int[1][t]);
        VideoScore s = model.score(technical, aesthetic);
        BranchOutput techOut = model.run(technical);
        assertEquals((techOut.scores()[0] + techOut.scores()[1]) / 2, s.technical(), 1e-6);
        assertEquals(FusionConstants.PUBLISHED.fuse(s.technical(), s.aesthetic()), s.fused(), 1e-12);
        assertTrue(s.fused() > 0 && s.fused() < 1);
        assertEquals(model.version(), s.modelVersion());
    }
}
