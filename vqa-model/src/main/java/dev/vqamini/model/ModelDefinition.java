package dev.vqamini.model;

import dev.vqamini.bundle.Provenance;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.model.weights.StateDict;
import java.util.Map;

/**
 * Everything a model version is: its architecture, its weights, its fusion constants and its notes (where the weights
 * came from, how its heads were made...). A bundle records the typed {@code Provenance} built from them.
 *
 * @param name       model family, e.g. "dover-mobile"
 * @param version    unique version string; every score names it
 * @param notes      free-form key/values (source, sha256, heads, recipe), carried into graphs and the provenance
 */
public record ModelDefinition(String name, String version, ModelSpec spec, StateDict weights, FusionConstants fusion,
                              Map<String, String> notes) {

    public ModelDefinition {
        notes = Map.copyOf(notes);
    }

    public ModelDefinition withVersion(String newVersion, Map<String, String> newNotes) {
        return new ModelDefinition(name, newVersion, spec, weights, fusion, newNotes);
    }

    /** Where the heads came from, by what the notes say of them ("random", "ridge ...", or nothing: as loaded). */
    public Provenance.HeadsSource heads() {
        String heads = notes.getOrDefault("heads", "");
        return heads.equals("random") ? Provenance.HeadsSource.RANDOM
                : heads.startsWith("ridge") ? Provenance.HeadsSource.FITTED_ON_LABELS : Provenance.HeadsSource.AS_LOADED;
    }

}
