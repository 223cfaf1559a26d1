package dev.vqamini.heads;

import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.clips.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A model whose two heads were refitted by {@link HeadRefit} and whose fusion constants were fitted on the same
 * calibration videos. Because the refitted heads are linear in the pooled features, {@link #fused} predicts
 * exactly what the rebuilt ONNX model will output, without running it again.
 */
public record FittedModel(ModelDefinition definition, HeadRefit.LinearHead technical, HeadRefit.LinearHead aesthetic) {

    /** Fits each head on one target per video (e.g. MOS labels). */
    public static FittedModel fit(ModelDefinition model, List<VideoFeatures> train, ToDoubleFunction<VideoFeatures> technicalTarget,
                                  ToDoubleFunction<VideoFeatures> aestheticTarget) {
        return of(model, train,
                HeadRefit.fit(matrix(train, View.TECHNICAL), train.stream().mapToDouble(technicalTarget).toArray()),
                HeadRefit.fit(matrix(train, View.AESTHETIC), train.stream().mapToDouble(aestheticTarget).toArray()));
    }

    /**
     * Distillation: fits each head so that it reproduces, position by position, a teacher's time-averaged head map
     * ({@code teacherMap} gives it per video and branch, aligned with {@link VideoFeatures.Branch#positionFeatures}).
     */
    public static FittedModel distil(ModelDefinition model, List<VideoFeatures> train,
                                     Function<VideoFeatures, Map<View, double[]>> teacherMap) {
        List<Map<View, double[]>> maps = train.stream().map(teacherMap).toList();
        Map<View, HeadRefit.LinearHead> heads = new LinkedHashMap<>();
        for (View view : View.values()) {
            heads.put(view, HeadRefit.fitPositions(train.stream().map(v -> v.branch(view).positionFeatures()).toList(),
                    maps.stream().map(m -> m.get(view)).toList()));
        }
        return of(model, train, heads.get(View.TECHNICAL), heads.get(View.AESTHETIC));
    }

    private static FittedModel of(ModelDefinition model, List<VideoFeatures> train, HeadRefit.LinearHead t,
                                  HeadRefit.LinearHead a) {
        Map<String, Tensor> w = new LinkedHashMap<>(model.weights().tensors());
        w.putAll(HeadRefit.headTensors(View.TECHNICAL, t, model.spec().technical().headHidden()));
        w.putAll(HeadRefit.headTensors(View.AESTHETIC, a, model.spec().aesthetic().headHidden()));
        FusionConstants fusion = fitFusion(train.stream().mapToDouble(v -> t.predict(v.technical().features())).toArray(),
                train.stream().mapToDouble(v -> a.predict(v.aesthetic().features())).toArray());
        ModelDefinition def = new ModelDefinition(model.name(), model.version(), model.spec(),
                new StateDict(model.weights().source(), w), fusion, model.notes());
        return new FittedModel(def, t, a);
    }

    /** The refitted head of {@code view}. */
    public HeadRefit.LinearHead head(View view) {
        return view == View.TECHNICAL ? technical : aesthetic;
    }

    /** The score the refitted head of {@code view} gives a video with these features. */
    public double predict(View view, VideoFeatures v) {
        return head(view).predict(v.branch(view).features());
    }

    /** What the refitted head of {@code view} gives at each position of a video: its time-averaged head map. */
    public double[] positionScores(View view, VideoFeatures v) {
        HeadRefit.LinearHead head = head(view);
        float[] x = v.branch(view).positionFeatures();
        int d = head.weights().length;
        double[] map = new double[x.length / d];
        for (int p = 0; p < map.length; p++) {
            double s = head.bias();
            for (int j = 0; j < d; j++) {
                s += head.weights()[j] * x[p * d + j];
            }
            map[p] = s;
        }
        return map;
    }

    /** The fused score the refitted model gives a video with these features. */
    public double fused(VideoFeatures v) {
        return definition.fusion().fuse(predict(View.TECHNICAL, v), predict(View.AESTHETIC, v));
    }

    private static double[][] matrix(List<VideoFeatures> videos, View view) {
        return videos.stream().map(v -> v.branch(view).features()).toArray(double[][]::new);
    }

    /** Fusion constants that standardise each branch with the given calibration scores, keeping upstream's weights. */
    static FusionConstants fitFusion(double[] technical, double[] aesthetic) {
        var t = new DescriptiveStatistics(technical);
        var a = new DescriptiveStatistics(aesthetic);
        FusionConstants published = FusionConstants.PUBLISHED;
        return new FusionConstants(t.getMean(), Math.max(t.getStandardDeviation(), 1e-9), a.getMean(),
                Math.max(a.getStandardDeviation(), 1e-9), published.technicalWeight(), published.aestheticWeight());
    }
}
