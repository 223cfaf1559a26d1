package dev.vqamini.spec;

import dev.vqamini.clips.View;

/** The architecture of a whole DOVER-Mobile model: one branch per view, with separate weights. */
public record ModelSpec(BranchSpec technical, BranchSpec aesthetic) {

    public static ModelSpec doverMobile() {
        return new ModelSpec(BranchSpec.doverMobile(), BranchSpec.doverMobile());
    }

    public BranchSpec branch(View view) {
        return view == View.TECHNICAL ? technical : aesthetic;
    }

    public ModelSpec with(View view, BranchSpec branch) {
        return view == View.TECHNICAL ? new ModelSpec(branch, aesthetic) : new ModelSpec(technical, branch);
    }
}
