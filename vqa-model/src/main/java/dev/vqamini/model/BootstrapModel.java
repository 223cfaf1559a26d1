package dev.vqamini.model;

import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import java.util.Map;

/**
 * The default model when no weights are given. The published DOVER-Mobile weights cannot be downloaded here,
 * so this is the DOVER-Mobile architecture with seeded random weights: reproducible, and named as what it is
 * ("bootstrap", not the published model) in its version and manifest. Every code path is the same as with
 * published weights.
 */
public final class BootstrapModel {

    public static final long SEED = 20231104L;
    public static final String VERSION = "dover-mobile-bootstrap-s" + SEED;

    private BootstrapModel() {
    }

    public static ModelDefinition definition() {
        ModelSpec spec = ModelSpec.doverMobile();
        return new ModelDefinition("dover-mobile", VERSION, spec, RandomWeights.generate(spec, SEED),
                FusionConstants.PUBLISHED, Map.of(
                        "weights.source", "bootstrap: seeded random weights (seed " + SEED + ")",
                        "weights.published", "false",
                        "heads", "random",
                        "note", "NOT the published DOVER-Mobile model; pass --weights DOVER-Mobile.pth for real scores"));
    }
}
