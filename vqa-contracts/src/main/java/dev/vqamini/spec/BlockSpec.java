package dev.vqamini.spec;

/**
 * One ConvNeXt-V2 block that a branch keeps.
 *
 * @param index          the block's index inside its stage in the published network (state_dict key and
 *                       temporal kernel pattern follow it, so a block keeps its identity when others are dropped)
 * @param hidden         width of the inverted bottleneck (pwconv1 outputs, GRN, pwconv2 inputs); 4x the stage
 *                       width unpruned
 * @param temporalKernel the depthwise conv's temporal kernel size (1 or 3 in DOVER-Mobile), odd
 */
public record BlockSpec(int index, int hidden, int temporalKernel) {

    public BlockSpec {
        if (index < 0 || hidden <= 0 || temporalKernel <= 0 || temporalKernel % 2 == 0) {
            throw new IllegalArgumentException("invalid block: index " + index + ", hidden " + hidden
                    + ", temporal kernel " + temporalKernel);
        }
    }

    public BlockSpec withHidden(int newHidden) {
        return new BlockSpec(index, newHidden, temporalKernel);
    }
}
