package dev.vqamini.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of one DOVER-Mobile branch (an inflated 3D ConvNeXt-V2 backbone and its regression head).
 * The published network is {@link #doverMobile()}; a pruned network is another instance, so it is built
 * from its spec and weights like the original, with no graph surgery.
 *
 * @param stages     the four stages: widths and kept blocks
 * @param headHidden hidden width of the head (Conv1x1 d -> headHidden -> 1)
 */
public record BranchSpec(List<StageSpec> stages, int headHidden) {

    /** Published DOVER-Mobile widths and depths. */
    public static final int[] DIMS = {48, 96, 192, 384};
    public static final int[] DEPTHS = {2, 2, 6, 2};
    public static final int HEAD_HIDDEN = 32;
    /** Temporal kernel of the depthwise conv by block index inside a stage, cycling "131". */
    public static final String TEMPORAL_PATTERN = "131";
    public static final int IN_CHANNELS = 3;

    public BranchSpec {
        stages = List.copyOf(stages);
        if (stages.isEmpty() || headHidden <= 0) {
            throw new IllegalArgumentException("a branch needs stages and a positive head width");
        }
    }

    /** The published DOVER-Mobile branch. */
    public static BranchSpec doverMobile() {
        return of(DIMS, DEPTHS, HEAD_HIDDEN);
    }

    /** A full (unpruned) branch with the given widths and depths: hidden = 4x width, kernels "131". */
    public static BranchSpec of(int[] dims, int[] depths, int headHidden) {
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < dims.length; s++) {
            List<BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < depths[s]; b++) {
                blocks.add(new BlockSpec(b, 4 * dims[s], temporalKernel(b)));
            }
            stages.add(new StageSpec(dims[s], blocks));
        }
        return new BranchSpec(stages, headHidden);
    }

    public static int temporalKernel(int blockIndex) {
        return TEMPORAL_PATTERN.charAt(blockIndex % TEMPORAL_PATTERN.length()) - '0';
    }

    public StageSpec stage(int s) {
        return stages.get(s);
    }

    /** Width of the backbone's output features (the last stage's width), the head's input. */
    public int featureWidth() {
        return stages.get(stages.size() - 1).width();
    }

    public int blockCount() {
        return stages.stream().mapToInt(s -> s.blocks().size()).sum();
    }

    public BranchSpec withStage(int s, StageSpec stage) {
        List<StageSpec> copy = new ArrayList<>(stages);
        copy.set(s, stage);
        return new BranchSpec(copy, headHidden);
    }

    /** A compact text form, e.g. {@code 48[1x192,3x192] 96[...] ... head32}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (StageSpec st : stages) {
            sb.append(st.width()).append('[');
            for (int i = 0; i < st.blocks().size(); i++) {
                BlockSpec b = st.blocks().get(i);
                sb.append(i > 0 ? "," : "").append('b').append(b.index()).append(':').append(b.temporalKernel())
                        .append('x').append(b.hidden());
            }
            sb.append("] ");
        }
        return sb.append("head").append(headHidden).toString();
    }
}
