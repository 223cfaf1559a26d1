package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.latency.LatencyTableMeasurer;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.BranchSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The candidates a latency plan weighs, on a tiny model with a real (quick) latency table and real ORT sessions. */
class LatencyPlannerTest {

    @Test
    void everyCandidateIsMeasuredWithAllItsChangesAndTheLeastDamagedThatFitsIsPlanned() throws Exception {
        ModelDefinition parent = TinyModels.model("random");
        RunnerOptions options = new RunnerOptions(2, false, 0);
        LatencyTable table = LatencyTableMeasurer.builder(options).architecture(parent.spec().technical())
                .clip(TinyModels.T, TinyModels.H, TinyModels.W).passes(1).warmups(0).repeats(1).gridPoints(1).channelMultiple(4)
                .build().measure();
        PruneConfig config = new PruneConfig(PruneRecipe.LAYER_SPECIFIC_CHANNEL, 1, 1, PruneConfig.ImportanceKind.ACTIVATION,
                false, 4, 2, PruneConfig.RefitTarget.TEACHER, 0.5);
        Map<View, List<ViewClips>> clips = new EnumMap<>(View.class);
        clips.put(View.TECHNICAL, List.of(TinyModels.clips(View.TECHNICAL, 1, 60, 1), TinyModels.clips(View.TECHNICAL, 1, 100, 2)));
        clips.put(View.AESTHETIC, List.of(TinyModels.clips(View.AESTHETIC, 1, 60, 3)));
        SensitivityScan scan = new SensitivityScan(clips, options);
        List<String> log = new ArrayList<>();
        LatencyPlanner planner = new LatencyPlanner(config, new ActivationImportance(clips, options), scan, table, log::add);
        ChannelSurgery.Pruned full = new ChannelSurgery.Pruned(parent.spec(), parent.weights());
        LatencyPlanner.Scanned scanned = planner.scan(full);

        BranchSpec base = parent.spec().technical();
        double fraction = 0.5;
        double budgetMs = fraction * table.predictMs(base);
        List<LatencyPlanner.Candidate> candidates = planner.candidates(scanned, View.TECHNICAL, fraction);
        assertEquals("greedy", candidates.get(0).shape());
        assertTrue(candidates.size() >= 3, candidates.toString());
        List<float[]> baseFeatures = scan.features(full, View.TECHNICAL);
        for (LatencyPlanner.Candidate c : candidates) {
            // the damage is that of all the candidate's changes applied together, not a sum of single changes
            assertEquals(scan.sensitivity(full, baseFeatures, View.TECHNICAL, c.steps()), c.damage(), 1e-9, c.shape());
            assertEquals(ChannelSurgery.apply(full.spec(), full.weights(), c.steps()).spec().technical(), c.spec(), c.shape());
            if (c.met()) {
                assertTrue(table.predictMs(c.spec()) <= budgetMs + 1e-9, c.shape() + " " + c.predictedMs() + " > " + budgetMs);
            }
            if (c.shape().startsWith("recipe shape")) {
                // layer-specific+channel's shape: the last two stages keep their residual width (exponent 0)
                assertEquals(base.stage(2).width(), c.spec().stage(2).width(), c.shape());
                assertEquals(base.stage(3).width(), c.spec().stage(3).width(), c.shape());
            }
        }
        LatencyPlanner.Candidate chosen = LatencyPlanner.choose(candidates);
        for (LatencyPlanner.Candidate c : candidates) {
            if (c.met()) {
                assertTrue(chosen.met() && chosen.damage() <= c.damage(), chosen + " over " + c);
            }
        }
        LatencyPlanner.Plan plan = planner.plan(scanned, fraction);
        assertEquals(chosen.spec().describe(), plan.architecture().get(View.TECHNICAL));
        assertEquals(chosen.spec(), ChannelSurgery.apply(full.spec(), full.weights(), plan.steps()).spec().technical());
        assertTrue(log.stream().anyMatch(l -> l.contains("<- chosen")), String.join("\n", log));
    }
}
