package dev.vqamini.model.weights;

import dev.vqamini.clips.View;

/** State_dict key names of one branch, as upstream DOVER names them ({@code technical_backbone.stages.2.5.grn.gamma}). */
public record BranchKeys(String prefix) {

    public static BranchKeys of(View view) {
        return new BranchKeys(view.key() + "_");
    }

    public String stemConv() {
        return prefix + "backbone.downsample_layers.0.0";
    }

    public String stemNorm() {
        return prefix + "backbone.downsample_layers.0.1";
    }

    /** LayerNorm before the downsampling conv into stage {@code s} (s = 1..3). */
    public String downNorm(int s) {
        return prefix + "backbone.downsample_layers." + s + ".0";
    }

    public String downConv(int s) {
        return prefix + "backbone.downsample_layers." + s + ".1";
    }

    public String block(int stage, int block) {
        return prefix + "backbone.stages." + stage + "." + block;
    }

    public String finalNorm() {
        return prefix + "backbone.norm";
    }

    /** The unused ImageNet classifier that published state_dicts carry. */
    public String classifier() {
        return prefix + "backbone.head";
    }

    public String headHidden() {
        return prefix + "head.fc_hid";
    }

    public String headLast() {
        return prefix + "head.fc_last";
    }
}
