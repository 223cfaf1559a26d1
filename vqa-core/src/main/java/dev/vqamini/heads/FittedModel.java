package dev.vqamini.heads;

import dev.vqamini.model.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import dev.vqamini.views.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A model whose two heads were refitted by {@link HeadRefit} and whose fusion constants were fitted on the same
 * calibration videos. Because the refitted heads are linear in the pooled features, {@link #fused} predicts
 * exactly what the rebuilt ONNX model will output, without running it again.
 */
public record FittedModel(ModelDefinition definition, HeadRefit.LinearHead technical, HeadRefit.LinearHead aesthetic) {

    public static FittedModel fit(ModelDefinition model, List<VideoFeatures> train, ToDoubleFunction<VideoFeatures> technicalTarget,
                                  ToDoubleFunction<VideoFeatures> aestheticTarget) {
        HeadRefit.LinearHead t = HeadRefit.fit(matrix(train, View.TECHNICAL), train.stream().mapToDouble(technicalTarget).toArray());
        HeadRefit.LinearHead a = HeadRefit.fit(matrix(train, View.AESTHETIC), train.stream().mapToDouble(aestheticTarget).toArray());
        Map<String, Tensor> w = new LinkedHashMap<>(model.weights().tensors());
        w.putAll(HeadRefit.headTensors(View.TECHNICAL, t, model.spec().technical().headHidden()));
        w.putAll(HeadRefit.headTensors(View.AESTHETIC, a, model.spec().aesthetic().headHidden()));
        FusionConstants fusion = FusionConstants.fit(train.stream().mapToDouble(v -> t.predict(v.technicalFeatures())).toArray(),
                train.stream().mapToDouble(v -> a.predict(v.aestheticFeatures())).toArray());
        ModelDefinition def = new ModelDefinition(model.name(), model.version(), model.spec(),
                new StateDict(model.weights().source(), w), fusion, model.provenance());
        return new FittedModel(def, t, a);
    }

    /** The fused score the refitted model gives a video with these features. */
    public double fused(VideoFeatures v) {
        return definition.fusion().fuse(technical.predict(v.technicalFeatures()), aesthetic.predict(v.aestheticFeatures()));
    }

    private static double[][] matrix(List<VideoFeatures> videos, View view) {
        return videos.stream().map(v -> v.features(view)).toArray(double[][]::new);
    }
}
