package dev.vqamini.model;

import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.model.weights.StateDict;
import java.util.Map;

/**
 * Everything a model version is: its architecture, its weights, its fusion constants and its provenance
 * (where the weights came from, recipe, parent version...), which every bundle and ONNX graph carries.
 *
 * @param name       model family, e.g. "dover-mobile"
 * @param version    unique version string; every score names it
 * @param provenance free-form key/values (source, sha256, recipe, parent, notes)
 */
public record ModelDefinition(String name, String version, ModelSpec spec, StateDict weights, FusionConstants fusion,
                              Map<String, String> provenance) {

    public ModelDefinition {
        provenance = Map.copyOf(provenance);
    }

    public ModelDefinition withVersion(String newVersion, Map<String, String> newProvenance) {
        return new ModelDefinition(name, newVersion, spec, weights, fusion, newProvenance);
    }

}
