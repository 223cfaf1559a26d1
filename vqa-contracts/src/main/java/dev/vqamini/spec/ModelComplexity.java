package dev.vqamini.spec;

/**
 * Parameter and FLOP counts computed from a spec, so they describe what is physically present.
 * FLOPs follow the convention of the DOVER and ConvNeXt papers (fvcore): one multiply-accumulate of a
 * conv or linear layer counts as one FLOP; norms, activations and GRN are not counted.
 *
 * @param parameters     parameters used at inference (backbone + head)
 * @param flops          multiply-accumulates for one clip of the given size
 */
public record ModelComplexity(long parameters, long flops) {

    /** Parameters of the unused ImageNet classifier (1000-way linear) a published state_dict carries per branch. */
    public static long classifierParameters(BranchSpec spec) {
        return 1000L * spec.featureWidth() + 1000;
    }

    public static ModelComplexity of(BranchSpec spec, int frames, int height, int width) {
        long params = 0;
        long flops = 0;
        int in = BranchSpec.IN_CHANNELS;
        long t = frames / 2;
        long h = height / 4;
        long w = width / 4;
        for (int s = 0; s < spec.stages().size(); s++) {
            StageSpec stage = spec.stage(s);
            int d = stage.width();
            if (s == 0) {
                params += (long) in * d * 2 * 4 * 4 + d + 2L * d;
                flops += t * h * w * d * in * 2 * 4 * 4;
            } else {
                h /= 2;
                w /= 2;
                params += 2L * in + (long) in * d * 4 + d;
                flops += t * h * w * d * in * 4;
            }
            long positions = t * h * w;
            for (BlockSpec b : stage.blocks()) {
                int k = b.temporalKernel();
                int hid = b.hidden();
                params += (long) d * k * 49 + d + 2L * d + (long) d * hid + hid + 2L * hid + (long) hid * d + d;
                flops += positions * ((long) d * k * 49 + 2L * d * hid);
            }
            in = d;
        }
        long positions = t * h * w;
        params += 2L * in + (long) in * spec.headHidden() + spec.headHidden() + spec.headHidden() + 1;
        flops += positions * ((long) in * spec.headHidden() + spec.headHidden());
        return new ModelComplexity(params, flops);
    }

    /**
     * Positions (T' x H' x W') at which stage {@code s} works for a clip of the given size: activation memory of a
     * tensor there is positions x channels x 4 bytes.
     */
    public static long positions(int stage, int frames, int height, int width) {
        return (long) (frames / 2) * (height / 4 >> stage) * (width / 4 >> stage);
    }

    /** The largest hidden activation of a branch (positions x hidden width), in values: the peak-memory driver. */
    public static long peakHiddenActivation(BranchSpec spec, int frames, int height, int width) {
        long peak = 0;
        for (int s = 0; s < spec.stages().size(); s++) {
            for (BlockSpec b : spec.stage(s).blocks()) {
                peak = Math.max(peak, positions(s, frames, height, width) * b.hidden());
            }
        }
        return peak;
    }

    /** Both branches, each on one clip of the given size. */
    public static ModelComplexity of(ModelSpec spec, int frames, int height, int width) {
        ModelComplexity a = of(spec.technical(), frames, height, width);
        ModelComplexity b = of(spec.aesthetic(), frames, height, width);
        return new ModelComplexity(a.parameters + b.parameters, a.flops + b.flops);
    }
}
