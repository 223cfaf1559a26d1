package dev.vqamini.model.runtime;

import dev.vqamini.clips.View;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import java.util.Map;

/** Small random-weight branch graphs for runtime tests: real graphs, built in milliseconds. */
final class TinyGraphs {

    private TinyGraphs() {
    }

    /** The technical graph (uint8 input) of a 4-stage model 8/16/24/32 wide with random weights from {@code seed}. */
    static byte[] technical(String version, long seed) {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {1, 1, 2, 1}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        ModelDefinition def = new ModelDefinition("tiny", version, spec, RandomWeights.generate(spec, seed),
                FusionConstants.PUBLISHED, Map.of());
        return QualityModel.onnx(def, View.TECHNICAL, InputFormat.RGB_UINT8);
    }
}
