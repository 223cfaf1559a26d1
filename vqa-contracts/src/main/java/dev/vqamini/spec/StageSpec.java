package dev.vqamini.spec;

import java.util.List;

/**
 * One stage: its residual width and the blocks it keeps (in order). A stage may keep no block at all:
 * then it is only its downsampling layer.
 */
public record StageSpec(int width, List<BlockSpec> blocks) {

    public StageSpec {
        if (width <= 0) {
            throw new IllegalArgumentException("stage width must be positive, got " + width);
        }
        blocks = List.copyOf(blocks);
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i).index() <= blocks.get(i - 1).index()) {
                throw new IllegalArgumentException("block indices must increase: " + blocks);
            }
        }
    }

    public StageSpec withWidth(int newWidth) {
        return new StageSpec(newWidth, blocks);
    }

    public StageSpec withBlocks(List<BlockSpec> newBlocks) {
        return new StageSpec(width, newBlocks);
    }
}
