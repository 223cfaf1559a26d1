package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.model.weights.SpecInference;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;

class ChannelSurgeryTest {

    private static final RunnerOptions CPU = new RunnerOptions(2, false, 0);

    @Test
    void prunedWeightsDescribeThemselvesAndMatchTheCounts() {
        ModelDefinition m = TinyModels.model("random");
        List<PruneStep> steps = List.of(
                new PruneStep(PruneGroup.residual(View.TECHNICAL, 3), new int[] {0, 3, 5, 8, 13, 21, 30, 31}),
                new PruneStep(PruneGroup.hidden(View.TECHNICAL, 2, 4), IntStream.range(0, 40).toArray()),
                new PruneStep(PruneGroup.block(View.AESTHETIC, 2, 1), new int[0]),
                new PruneStep(PruneGroup.residual(View.AESTHETIC, 0), new int[] {1, 2, 4, 6}));
        ChannelSurgery.Pruned p = ChannelSurgery.apply(m.spec(), m.weights(), steps);
        assertEquals(p.spec(), SpecInference.infer(p.weights()));
        assertEquals(8, p.spec().technical().featureWidth());
        assertEquals(40, p.spec().technical().stage(2).blocks().get(4).hidden());
        assertEquals(5, p.spec().aesthetic().stage(2).blocks().size());
        long classifiers = 1000L * 8 + 1000 + 1000L * 32 + 1000;
        assertEquals(p.weights().parameterCount(""), ModelComplexity.of(p.spec(), 32, 224, 224).parameters() + classifiers);
        try (QualityModel model = new QualityModel(new ModelDefinition("t", "t", p.spec(), p.weights(), m.fusion(), Map.of()), CPU)) {
            BranchOutput out = model.run(TinyModels.clips(View.TECHNICAL, 2, 50, 1));
            assertEquals(2, out.scores().length);
            assertEquals(2 * 8, out.features().length);
        }
    }

    @Test
    void keepingEveryChannelChangesNothingAndDroppingChangesOutputs() {
        ModelDefinition m = TinyModels.model("random");
        ViewClips clips = TinyModels.clips(View.TECHNICAL, 1, 60, 2);
        float[] reference = run(m.spec(), m.weights(), clips);
        ChannelSurgery.Pruned same = ChannelSurgery.apply(m.spec(), m.weights(), List.of(
                new PruneStep(PruneGroup.residual(View.TECHNICAL, 1), IntStream.range(0, 16).toArray()),
                new PruneStep(PruneGroup.hidden(View.TECHNICAL, 0, 1), IntStream.range(0, 32).toArray())));
        assertEquals(0, maxDiff(reference, run(same.spec(), same.weights(), clips)), 1e-6);
        ChannelSurgery.Pruned dropped = ChannelSurgery.apply(m.spec(), m.weights(), List.of(
                new PruneStep(PruneGroup.block(View.TECHNICAL, 0, 1), new int[0])));
        assertTrue(maxDiff(reference, run(dropped.spec(), dropped.weights(), clips)) > 1e-3);
    }

    @Test
    void hiddenPruningSlicesEveryCoupledTensor() {
        ModelDefinition m = TinyModels.model("random");
        String p = "technical_backbone.stages.3.1";
        int[] kept = IntStream.range(0, 128).filter(i -> i % 2 == 0).toArray();
        ChannelSurgery.Pruned pruned = ChannelSurgery.apply(m.spec(), m.weights(), List.of(
                new PruneStep(PruneGroup.hidden(View.TECHNICAL, 3, 1), kept)));
        assertEquals(64, pruned.weights().get(p + ".pwconv1.weight").dim(0));
        assertEquals(64, pruned.weights().get(p + ".pwconv1.bias").dim(0));
        assertEquals(64, pruned.weights().get(p + ".pwconv2.weight").dim(1));
        assertEquals(64, pruned.weights().get(p + ".grn.gamma").dim(3));
        assertEquals(64, pruned.weights().get(p + ".grn.beta").dim(3));
        // row 0 of pwconv2 [32, 128]: kept column 2 became column 1
        assertEquals(m.weights().get(p + ".pwconv2.weight").data()[2], pruned.weights().get(p + ".pwconv2.weight").data()[1]);
        // row 2 of pwconv1 [128, 32] became row 1
        assertEquals(m.weights().get(p + ".pwconv1.weight").data()[2 * 32 + 5], pruned.weights().get(p + ".pwconv1.weight").data()[32 + 5]);
    }

    private static float[] run(ModelSpec spec, StateDict weights, ViewClips clips) {
        try (QualityModel model = new QualityModel(new ModelDefinition("t", "t", spec, weights,
                FusionConstants.PUBLISHED, Map.of()), CPU)) {
            return model.run(clips).headMap();
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
