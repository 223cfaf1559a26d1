package dev.vqamini.model.bundle;

import dev.vqamini.model.BootstrapModel;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.bundle.Digests;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.model.weights.SpecInference;
import dev.vqamini.model.weights.PthReader;
import dev.vqamini.model.weights.Safetensors;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.WeightFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Turns what a user passes as {@code --weights} (a .pth, a .safetensors or a bundle directory) into a model definition. */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * A {@code .pth} state_dict, a {@code .safetensors} file or a model bundle ready to score; null: the bootstrap
     * model. A bundle scores with its own graphs (INT8 ones included), as a scorer serving it would.
     */
    public static QualityModel qualityModel(Path weights, RunnerOptions options) {
        if (weights != null && Files.exists(weights) && isBundle(weights)) {
            ModelBundle bundle = ModelBundle.read(weights);
            return new QualityModel(bundle.definition(), options, bundle.graphs());
        }
        return new QualityModel(weights == null ? BootstrapModel.definition() : load(weights), options);
    }

    private static boolean isBundle(Path path) {
        return Files.isDirectory(path) || path.getFileName().toString().endsWith(".zip");
    }

    public static ModelDefinition load(Path path) {
        if (!Files.exists(path)) {
            throw new WeightFileException(path + ": no such weights file or bundle directory (give a .pth, a .safetensors"
                    + " or a model bundle directory or .zip)");
        }
        if (isBundle(path)) {
            return ModelBundle.read(path).definition();
        }
        String name = path.getFileName().toString();
        StateDict weights = name.endsWith(".safetensors") ? Safetensors.read(path) : PthReader.read(path);
        String sha = sha256(path);
        ModelSpec spec = SpecInference.infer(weights);
        return new ModelDefinition("dover-mobile", "dover-mobile-" + sha.substring(0, 12), spec, weights,
                FusionConstants.PUBLISHED, Map.of(
                        "weights.source", "user-supplied state_dict " + name,
                        "weights.sha256", sha,
                        "fusion.note", "upstream fusion constants: valid for the published DOVER-Mobile weights only"));
    }

    public static String sha256(Path file) {
        try {
            return Digests.sha256(file);
        } catch (IOException e) {
            throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
