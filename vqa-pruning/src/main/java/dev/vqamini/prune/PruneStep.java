package dev.vqamini.prune;

import dev.vqamini.bundle.Provenance;
import java.util.Arrays;

/**
 * One step of pruning history as plain data: which group, and which of its channels were kept (empty for a
 * removed block). Replaying the steps on fresh weights of the same architecture reproduces the pruned model.
 */
public record PruneStep(PruneGroup group, int[] kept) {

    /** As data for a provenance record: every kept index. */
    public Provenance.PruningStep toData() {
        return new Provenance.PruningStep(group.view(), Provenance.GroupKind.valueOf(group.kind().name()), group.stage(),
                group.block(), kept.clone());
    }

    public static PruneStep of(Provenance.PruningStep step) {
        return new PruneStep(new PruneGroup(step.view(), PruneGroup.Kind.valueOf(step.kind().name()), step.stage(),
                step.block()), step.kept().clone());
    }

    @Override
    public String toString() {
        return group.name() + " keep " + kept.length + (kept.length <= 16 ? " " + Arrays.toString(kept) : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PruneStep s && s.group.equals(group) && Arrays.equals(s.kept, kept);
    }

    @Override
    public int hashCode() {
        return 31 * group.hashCode() + Arrays.hashCode(kept);
    }
}
