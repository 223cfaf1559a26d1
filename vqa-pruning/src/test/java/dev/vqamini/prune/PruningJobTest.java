package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.model.weights.SpecInference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PruningJobTest {

    @ParameterizedTest
    @EnumSource(PruneRecipe.class)
    void everyRecipeMeetsItsBudgetAndKeepsAWorkingModel(PruneRecipe recipe) {
        ModelDefinition parent = TinyModels.model("random");
        PruneConfig config = new PruneConfig(recipe, 0.5, recipe == PruneRecipe.UNSTRUCTURED ? 1 : 0.6,
                PruneConfig.ImportanceKind.ACTIVATION, false, 4, 2, PruneConfig.RefitTarget.TEACHER);
        List<String> log = new ArrayList<>();
        PruningJob.Outcome out = new PruningJob(config, new RunnerOptions(2, false, 0), log::add)
                .run(parent, "tiny-" + recipe.cliName(), TinyModels.videos(12));
        PruneReport r = out.report();
        long full = ModelComplexity.of(parent.spec(), 32, 224, 224).parameters();
        if (recipe == PruneRecipe.UNSTRUCTURED) {
            assertEquals(full, r.costs().parametersPresent());
            assertTrue(r.costs().parametersNonZero() <= 0.5 * full + 1, "non-zero " + r.costs().parametersNonZero());
        } else {
            assertTrue(r.paramsRatio() <= 0.5, "params ratio " + r.paramsRatio());
            assertTrue(r.flopsRatio() <= 0.6, "flops ratio " + r.flopsRatio());
            assertEquals(out.model().spec(), SpecInference.infer(out.model().weights()));
            assertTrue(!out.history().isEmpty());
        }
        assertEquals(PruneConfig.RefitTarget.TEACHER, r.refitTarget());
        assertTrue(Double.isFinite(r.srccVsParent()) && Double.isFinite(r.srccLabels()), r.summary());
        assertTrue(out.parent().version().endsWith("-fitted"));
        assertTrue(log.stream().anyMatch(l -> l.contains("refitting heads")), String.join("\n", log));
    }
}
