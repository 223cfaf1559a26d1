package dev.vqamini.prune;

import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.spec.ModelComplexity;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-applies a pruned version's recorded history to its parent's weights: the structural steps (every kept channel
 * index) or, for unstructured pruning, the recorded configuration's magnitude pruning. The regression heads and
 * fusion constants are the version's own (they were fitted on calibration data, whose digest the provenance
 * records), so what replay proves is that the backbone is exactly the parent's with the recorded channels kept.
 */
public final class PruneReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PruneReplay() {
    }

    /**
     * The version rebuilt from {@code parent}.
     *
     * @throws IllegalArgumentException when the version records no pruning, or {@code parent} is not the architecture
     *                                  it was pruned from
     */
    public static ModelDefinition replay(ModelBundle version, ModelDefinition parent) {
        ModelManifest manifest = version.manifest();
        Provenance p = manifest.provenance();
        if (p == null || p.recipe() == null) {
            throw new IllegalArgumentException(manifest.version() + " records no pruning to replay (an unpruned version,"
                    + " or a bundle written before provenance was typed)");
        }
        String parentHash = Provenance.specHash(parent.spec());
        if (!parentHash.equals(p.parentSpecHash())) {
            throw new IllegalArgumentException("the weights given are not the architecture " + manifest.version()
                    + " was pruned from (spec hash " + parentHash + ", recorded " + p.parentSpecHash() + ")");
        }
        PruneConfig config = JSON.convertValue(p.config(), PruneConfig.class);
        ChannelSurgery.Pruned pruned;
        if (config.recipe() == PruneRecipe.UNSTRUCTURED) {
            long params = ModelComplexity.of(parent.spec(), 32, 224, 224).parameters();
            pruned = new ChannelSurgery.Pruned(parent.spec(), UnstructuredPruner.sparsify(parent.weights(), params,
                    config.targetParams(), config.globalSparsity()));
        } else {
            List<PruneStep> steps = p.history().stream().map(PruneStep::of).toList();
            pruned = ChannelSurgery.apply(parent.spec(), parent.weights(), steps);
        }
        if (!pruned.spec().equals(manifest.architecture())) {
            throw new IllegalArgumentException("replaying the history gives another architecture than "
                    + manifest.version() + " records");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>(pruned.weights().tensors());
        for (View view : View.values()) {
            BranchKeys keys = BranchKeys.of(view);
            version.definition().weights().tensors().forEach((name, t) -> {
                if (name.startsWith(keys.headHidden()) || name.startsWith(keys.headLast())) {
                    weights.put(name, t);
                }
            });
        }
        return new ModelDefinition(manifest.name(), manifest.version(), pruned.spec(),
                new StateDict(pruned.weights().source(), weights), manifest.fusion(), p.notes());
    }
}
