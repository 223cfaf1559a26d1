package dev.vqamini.model;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.spec.StageSpec;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.clips.View;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A complete DOVER-Mobile state_dict (upstream key names, classifier included) filled with seeded random
 * values: weights ~ N(0, 1/fan_in) so activations stay O(1), norms and GRN away from their trivial init.
 * The same seed always gives the same weights.
 */
public final class RandomWeights {

    private RandomWeights() {
    }

    public static StateDict generate(ModelSpec spec, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (View view : new View[] {View.TECHNICAL, View.AESTHETIC}) {
            branch(out, spec.branch(view), BranchKeys.of(view), random.split());
        }
        return new StateDict("random(seed=" + seed + ")", out);
    }

    /** One branch's keys only (what a single-branch graph, or one segment of it, needs). */
    public static StateDict branch(BranchSpec spec, View view, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        branch(out, spec, BranchKeys.of(view), new SplittableRandom(seed));
        return new StateDict("random(" + view.key() + ", seed=" + seed + ")", out);
    }

    private static void branch(Map<String, Tensor> out, BranchSpec spec, BranchKeys k, SplittableRandom r) {
        int in = BranchSpec.IN_CHANNELS;
        for (int s = 0; s < spec.stages().size(); s++) {
            StageSpec stage = spec.stage(s);
            int d = stage.width();
            if (s == 0) {
                conv(out, r, k.stemConv(), d, in, 2, 4, 4);
                norm(out, r, k.stemNorm(), d);
            } else {
                norm(out, r, k.downNorm(s), in);
                conv(out, r, k.downConv(s), d, in, 1, 2, 2);
            }
            for (BlockSpec b : stage.blocks()) {
                String p = k.block(s, b.index());
                conv(out, r, p + ".dwconv", d, 1, b.temporalKernel(), 7, 7);
                norm(out, r, p + ".norm", d);
                linear(out, r, p + ".pwconv1", b.hidden(), d);
                out.put(p + ".grn.gamma", gaussian(r, 0.5, 0, 1, 1, 1, b.hidden()));
                out.put(p + ".grn.beta", gaussian(r, 0.5, 0, 1, 1, 1, b.hidden()));
                linear(out, r, p + ".pwconv2", d, b.hidden());
            }
            in = d;
        }
        norm(out, r, k.finalNorm(), in);
        linear(out, r, k.classifier(), 1000, in);
        conv(out, r, k.headHidden(), spec.headHidden(), in, 1, 1, 1);
        conv(out, r, k.headLast(), 1, spec.headHidden(), 1, 1, 1);
    }

    private static void conv(Map<String, Tensor> out, SplittableRandom r, String key, int o, int i, int kt, int kh, int kw) {
        out.put(key + ".weight", gaussian(r, Math.sqrt(1.0 / (i * kt * kh * kw)), 0, o, i, kt, kh, kw));
        out.put(key + ".bias", gaussian(r, 0.05, 0, o));
    }

    private static void linear(Map<String, Tensor> out, SplittableRandom r, String key, int o, int i) {
        out.put(key + ".weight", gaussian(r, Math.sqrt(1.0 / i), 0, o, i));
        out.put(key + ".bias", gaussian(r, 0.05, 0, o));
    }

    private static void norm(Map<String, Tensor> out, SplittableRandom r, String key, int d) {
        out.put(key + ".weight", gaussian(r, 0.2, 1, d));
        out.put(key + ".bias", gaussian(r, 0.1, 0, d));
    }

    private static Tensor gaussian(SplittableRandom r, double std, double mean, long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * gaussian(r));
        }
        return new Tensor(shape, v);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
