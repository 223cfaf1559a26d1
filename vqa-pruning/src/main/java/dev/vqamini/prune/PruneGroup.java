package dev.vqamini.prune;

import dev.vqamini.clips.View;

/**
 * A set of coupled channels or layers that must be pruned together for the network to stay consistent.
 *
 * <ul>
 *   <li>{@link Kind#HIDDEN}: a block's hidden channels: pwconv1 rows, GRN gamma/beta, pwconv2 columns.</li>
 *   <li>{@link Kind#RESIDUAL}: a stage's residual width: the downsampling conv's outputs and the LayerNorm after it
 *       (stem), every block's dwconv, norm, pwconv1 inputs and pwconv2 outputs, the next downsampling's LayerNorm
 *       and conv inputs, or for the last stage the final norm, the head's and the classifier's inputs.</li>
 *   <li>{@link Kind#BLOCK}: a whole block (a residual branch; removing it leaves the identity).</li>
 * </ul>
 *
 * @param block the block's index in its stage (as in state_dict keys); -1 for {@link Kind#RESIDUAL}
 */
public record PruneGroup(View view, Kind kind, int stage, int block) {

    public enum Kind { HIDDEN, RESIDUAL, BLOCK }

    public static PruneGroup hidden(View view, int stage, int block) {
        return new PruneGroup(view, Kind.HIDDEN, stage, block);
    }

    public static PruneGroup residual(View view, int stage) {
        return new PruneGroup(view, Kind.RESIDUAL, stage, -1);
    }

    public static PruneGroup block(View view, int stage, int block) {
        return new PruneGroup(view, Kind.BLOCK, stage, block);
    }

    /** Readable name, e.g. {@code technical.stages.2.5.hidden}. */
    public String name() {
        return switch (kind) {
            case HIDDEN -> view.key() + ".stages." + stage + "." + block + ".hidden";
            case RESIDUAL -> view.key() + ".stages." + stage + ".residual";
            case BLOCK -> view.key() + ".stages." + stage + "." + block;
        };
    }
}
