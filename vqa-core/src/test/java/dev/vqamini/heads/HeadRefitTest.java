package dev.vqamini.heads;

import dev.vqamini.dataset.CalibrationVideo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.prune.TinyModels;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.RunnerOptions;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeadRefitTest {

    @Test
    void ridgeRecoversALinearFunction() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] x = new double[40][5];
        double[] y = new double[40];
        double[] w = {0.5, -1, 2, 0, 0.25};
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = r.nextDouble() * 2 - 1;
                y[i] += w[j] * x[i][j];
            }
            y[i] += 3;
        }
        HeadRefit.LinearHead head = HeadRefit.fit(x, y);
        for (int j = 0; j < 5; j++) {
            assertEquals(w[j], head.weights()[j], 1e-3);
        }
        assertEquals(3, head.bias(), 1e-3);
    }

    @Test
    void theRebuiltOnnxModelComputesExactlyTheFittedLinearHead() {
        ModelDefinition m = TinyModels.model("random");
        List<CalibrationVideo> videos = TinyModels.videos(8);
        RunnerOptions cpu = new RunnerOptions(2, false, 0);
        List<VideoFeatures> features;
        try (QualityModel model = new QualityModel(m, cpu)) {
            features = VideoFeatures.extract(model, videos, s -> { });
        }
        FittedModel fitted = FittedModel.fit(m, features, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
        try (QualityModel refit = new QualityModel(fitted.definition(), cpu)) {
            for (int i = 0; i < videos.size(); i++) {
                var views = videos.get(i).views().get();
                var score = refit.score(views.technical(), views.aesthetic());
                assertEquals(fitted.technical().predict(features.get(i).technicalFeatures()), score.technical(), 1e-4);
                assertEquals(fitted.aesthetic().predict(features.get(i).aestheticFeatures()), score.aesthetic(), 1e-4);
                assertEquals(fitted.fused(features.get(i)), score.fused(), 1e-4);
            }
        }
        assertTrue(fitted.technical().looRmse() >= 0);
    }
}
