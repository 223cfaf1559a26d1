package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.model.weights.SpecInference;
import java.util.ArrayList;
import java.util.List;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.latency.LatencyTableMeasurer;
import org.junit.jupiter.api.Test;
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
        assertEquals(4, r.channelMultiple());
        assertTrue(r.summary().contains("channels in multiples of 4"), r.summary());
        assertTrue(Double.isFinite(r.srccVsParent()) && Double.isFinite(r.srccLabels()), r.summary());
        assertTrue(out.parent().version().endsWith("-fitted"));
        assertTrue(log.stream().anyMatch(l -> l.contains("refitting heads")), String.join("\n", log));
    }

    @Test
    void aMissedLatencyTargetIsReplannedBetweenTheRoundsOnEitherSideOfIt() {
        // every round so far below the target: the closest one scaled by its miss
        assertEquals(0.4 * 0.32 / 0.28, PruningJob.nextFraction(List.of(new double[] {0.3, 0.2}, new double[] {0.4, 0.28}), 0.32), 1e-12);
        assertEquals(0.3 * 0.32 / 0.35, PruningJob.nextFraction(List.of(new double[] {0.3, 0.35}, new double[] {0.5, 0.6}), 0.32), 1e-12);
        // rounds on both sides: the line through the closest on each side, not a jump from the last round
        assertEquals(0.35, PruningJob.nextFraction(List.of(new double[] {0.2, 0.1}, new double[] {0.30, 0.27},
                new double[] {0.40, 0.37}, new double[] {0.6, 0.5}), 0.32), 1e-12);
        assertEquals(1.0, PruningJob.nextFraction(List.of(new double[] {0.9, 0.5}), 0.9), 1e-12);
    }

    @Test
    void aLatencyTargetIsPlannedWithTheTableAndRecordedWithIt() throws Exception {
        ModelDefinition parent = TinyModels.model("random");
        RunnerOptions options = new RunnerOptions(2, false, 0);
        // a table of the tiny architecture on the tiny clip: one quick pass (its numbers are noise; the logic is under test)
        LatencyTable table = LatencyTableMeasurer.builder(options).architecture(parent.spec().technical())
                .clip(TinyModels.T, TinyModels.H, TinyModels.W).passes(1).warmups(0).repeats(1).gridPoints(1).channelMultiple(4).build().measure();
        PruneConfig config = new PruneConfig(PruneRecipe.LAYER_SPECIFIC_CHANNEL, 1, 1, PruneConfig.ImportanceKind.ACTIVATION,
                false, 4, 2, PruneConfig.RefitTarget.TEACHER, 0.5);
        List<String> log = new ArrayList<>();
        PruningJob.Outcome out = new PruningJob(config, options, log::add, table).run(parent, "tiny-l50", TinyModels.videos(12));
        LatencyTarget l = out.report().latency();
        assertTrue(l != null, out.report().summary());
        assertEquals(0.5, l.target());
        assertEquals(table.digest(), l.tableSha256());
        assertEquals(table.header(), l.table());
        // the greedy pass only takes levels the table says save time: never above the unpruned prediction (the tiny
        // table's numbers are noise, so whether the fraction itself was reachable is not asserted)
        assertTrue(l.predictedRatio() > 0 && l.predictedRatio() <= 1 + 1e-9, l.summary());
        // CPU-seconds of sub-millisecond tiny runs may round to 0 (process CPU time is coarse)
        assertTrue(l.measuredRatio() > 0 && l.measuredMs() > 0 && l.parentMeasuredMs() > 0 && l.cpuSecondsPerClip() >= 0, l.summary());
        assertTrue(l.correctionRounds() >= 0 && l.correctionRounds() <= PruningJob.CORRECTION_ROUNDS);
        assertEquals(out.history().size(), out.provenance().history().size());
        assertEquals(out.model().spec(), SpecInference.infer(out.model().weights()));
        assertEquals(table.digest(), out.provenance().notes().get("latency.table.sha256"));
        assertEquals(0.5, ((Number) out.provenance().config().get("targetLatency")).doubleValue());
        assertTrue(out.report().summary().contains("latency target 0.500"), out.report().summary());
        assertTrue(log.stream().anyMatch(m -> m.startsWith("latency round 0")), String.join("\n", log));
    }
}
