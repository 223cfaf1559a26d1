package dev.vqamini.prune;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/** A tiny DOVER-shaped model and calibration clips whose "MOS" depends on their content, for fast pruning tests. */
public final class TinyModels {

    public static final int T = 4;
    public static final int H = 64;
    public static final int W = 64;

    private TinyModels() {
    }

    public static ModelDefinition model(String headsProvenance) {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        return new ModelDefinition("tiny", "tiny-v1", spec, RandomWeights.generate(spec, 11), FusionConstants.PUBLISHED,
                Map.of("heads", headsProvenance));
    }

    /** Clips of smooth noise whose contrast sets the label: a property random conv features can see. */
    public static List<CalibrationVideo> videos(int n) {
        List<CalibrationVideo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double contrast = 10 + 110.0 * i / (n - 1);
            long seed = i;
            out.add(new CalibrationVideo("video-" + i, OptionalDouble.of(1 + 4 * contrast / 120),
                    () -> new VideoViews(clips(View.TECHNICAL, 2, contrast, seed), clips(View.AESTHETIC, 1, contrast, seed + 1000))));
        }
        return out;
    }

    public static ViewClips clips(View view, int n, double contrast, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] p = new byte[n * 3 * T * H * W];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) Math.max(0, Math.min(255, 128 + contrast * (r.nextDouble() * 2 - 1)));
        }
        return new ViewClips(view, n, T, H, W, p, new int[n][T]);
    }
}
