package dev.vqamini.model.weights;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.spec.StageSpec;
import dev.vqamini.clips.View;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a branch's architecture off a state_dict's shapes: stage widths from the downsampling convs, kept
 * blocks from the keys present, hidden widths from pwconv1, temporal kernels from dwconv. So a pruned
 * state_dict describes itself; every shape is then checked against this spec when the graph is built.
 */
public final class SpecInference {

    private static final int MAX_BLOCKS_PER_STAGE = 64;
    private static final int STAGES = 4;

    private SpecInference() {
    }

    public static ModelSpec infer(StateDict weights) {
        return new ModelSpec(branch(weights, View.TECHNICAL), branch(weights, View.AESTHETIC));
    }

    public static BranchSpec branch(StateDict weights, View view) {
        BranchKeys keys = BranchKeys.of(view);
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < STAGES; s++) {
            String conv = (s == 0 ? keys.stemConv() : keys.downConv(s)) + ".weight";
            int width = weights.get(conv).dim(0);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < MAX_BLOCKS_PER_STAGE; b++) {
                String block = keys.block(s, b);
                if (weights.contains(block + ".dwconv.weight")) {
                    var dw = weights.get(block + ".dwconv.weight");
                    if (dw.shape().length != 5) {
                        throw new WeightFileException(weights.source() + ": key '" + block + ".dwconv.weight' has shape "
                                + dw.shapeText() + ", expected [C, 1, kT, 7, 7]");
                    }
                    blocks.add(new BlockSpec(b, weights.get(block + ".pwconv1.weight").dim(0), dw.dim(2)));
                }
            }
            stages.add(new StageSpec(width, blocks));
        }
        return new BranchSpec(stages, weights.get(keys.headHidden() + ".weight").dim(0));
    }
}
