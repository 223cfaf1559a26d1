package dev.vqamini.heads;

import dev.vqamini.dataset.CalibrationVideo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.prune.TinyModels;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.clips.View;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

    private static final RunnerOptions CPU = new RunnerOptions(2, false, 0);
    private final ModelDefinition m = TinyModels.model("random");
    private final List<CalibrationVideo> videos = TinyModels.videos(8);

    private List<VideoFeatures> features() {
        try (QualityModel model = new QualityModel(m, CPU)) {
            return VideoFeatures.extract(model, videos, s -> { });
        }
    }

    @Test
    void theRebuiltOnnxModelComputesExactlyTheFittedLinearHead() {
        List<VideoFeatures> features = features();
        FittedModel fitted = FittedModel.fit(m, features, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
        try (QualityModel refit = new QualityModel(fitted.definition(), CPU)) {
            for (int i = 0; i < videos.size(); i++) {
                var views = videos.get(i).views().get();
                var score = refit.score(views.technical(), views.aesthetic());
                assertEquals(fitted.technical().predict(features.get(i).technical().features()), score.technical(), 1e-4);
                assertEquals(fitted.aesthetic().predict(features.get(i).aesthetic().features()), score.aesthetic(), 1e-4);
                assertEquals(fitted.fused(features.get(i)), score.fused(), 1e-4);
            }
        }
        assertTrue(fitted.technical().cvRmse() >= 0);
    }

    @Test
    void perPositionRidgeRecoversALinearFunctionAndItsVideoMeans() {
        SplittableRandom r = new SplittableRandom(5);
        double[] w = {0.5, -1, 2, 0, 0.25};
        List<float[]> x = new ArrayList<>();
        List<double[]> y = new ArrayList<>();
        for (int v = 0; v < 12; v++) {
            float[] fx = new float[9 * 5];
            double[] fy = new double[9];
            double offset = r.nextDouble(); // videos differ, positions within a video share an offset
            for (int p = 0; p < 9; p++) {
                fy[p] = -2;
                for (int j = 0; j < 5; j++) {
                    fx[p * 5 + j] = (float) (offset + r.nextDouble() - 0.5);
                    fy[p] += w[j] * fx[p * 5 + j];
                }
            }
            x.add(fx);
            y.add(fy);
        }
        HeadRefit.LinearHead head = HeadRefit.fitPositions(x, y);
        for (int j = 0; j < 5; j++) {
            assertEquals(w[j], head.weights()[j], 1e-3);
        }
        assertEquals(-2, head.bias(), 1e-3);
        assertTrue(head.cvRmse() < 1e-3, "cross-validated error of an exact fit: " + head.cvRmse());
    }

    @Test
    void distillingAModelFromItselfReproducesItsScores() {
        List<VideoFeatures> features = features();
        FittedModel fitted = FittedModel.fit(m, features, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
        // The fitted heads are linear, so a student with the same backbone can match them position by position.
        FittedModel student = FittedModel.distil(m, features, v -> {
            Map<View, double[]> maps = new EnumMap<>(View.class);
            for (View view : View.values()) {
                maps.put(view, fitted.positionScores(view, v));
            }
            return maps;
        });
        for (VideoFeatures v : features) {
            assertEquals(fitted.predict(View.TECHNICAL, v), student.predict(View.TECHNICAL, v), 2e-3);
            assertEquals(fitted.predict(View.AESTHETIC, v), student.predict(View.AESTHETIC, v), 2e-3);
        }
    }
}
