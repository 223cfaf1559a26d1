package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Prune, write the bundle, replay its recorded history on the parent's weights: the same graphs, byte for byte. */
class PruneReplayTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PruneRecipe.class, names = {"LAYER_SPECIFIC_CHANNEL", "UNSTRUCTURED"})
    void replayingTheHistoryOnTheParentWritesIdenticalGraphs(PruneRecipe recipe) throws Exception {
        ModelDefinition parent = TinyModels.model("random");
        PruneConfig config = new PruneConfig(recipe, 0.5, recipe == PruneRecipe.UNSTRUCTURED ? 1 : 0.6,
                PruneConfig.ImportanceKind.ACTIVATION, false, 4, 2, PruneConfig.RefitTarget.TEACHER);
        PruningJob.Outcome out = new PruningJob(config, new RunnerOptions(2, false, 0), m -> { })
                .run(parent, "tiny-replay", TinyModels.videos(12));
        Provenance p = out.provenance();
        assertEquals(recipe.cliName(), p.recipe());
        assertEquals("tiny-v1", p.parentVersion());
        assertEquals(Provenance.HeadsSource.DISTILLED_FROM_PARENT, p.heads());
        assertEquals(recipe == PruneRecipe.UNSTRUCTURED, p.history().isEmpty());
        ModelBundle written = ModelBundle.write(out.model(), dir.resolve("pruned"), p, Map.of());

        ModelBundle read = ModelBundle.read(dir.resolve("pruned"));
        assertEquals(p, read.manifest().provenance(), "the manifest gives back the provenance it was written with");
        ModelDefinition replayed = PruneReplay.replay(read, TinyModels.model("random"));
        ModelBundle again = ModelBundle.write(replayed, dir.resolve("replayed"), read.manifest().provenance(), Map.of());
        for (View view : View.values()) {
            String file = ServingBundle.onnxFile(view);
            assertEquals(written.manifest().files().get(file), again.manifest().files().get(file), file);
        }

        // other parent weights of the same architecture: replay runs, but the graphs differ
        ModelDefinition other = new ModelDefinition("tiny", "tiny-v1", parent.spec(), RandomWeights.generate(parent.spec(), 12),
                parent.fusion(), parent.notes());
        ModelBundle wrong = ModelBundle.write(PruneReplay.replay(read, other), dir.resolve("wrong"),
                read.manifest().provenance(), Map.of());
        assertNotEquals(written.manifest().files().get(ServingBundle.onnxFile(View.TECHNICAL)),
                wrong.manifest().files().get(ServingBundle.onnxFile(View.TECHNICAL)));
        // another architecture is refused, naming the hashes
        BranchSpec narrow = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 4, 2}, 8);
        ModelSpec otherSpec = new ModelSpec(narrow, narrow);
        ModelDefinition otherArchitecture = new ModelDefinition("tiny", "tiny-v0", otherSpec, RandomWeights.generate(otherSpec, 1),
                parent.fusion(), parent.notes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PruneReplay.replay(read, otherArchitecture));
        assertTrue(e.getMessage().contains("not the architecture"), e.getMessage());
        assertFalse(p.calibrationDigest().isBlank());
    }
}
