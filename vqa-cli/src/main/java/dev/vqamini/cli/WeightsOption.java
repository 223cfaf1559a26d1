package dev.vqamini.cli;

import dev.vqamini.files.BootstrapHeads;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.runtime.RunnerOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import dev.vqamini.model.QualityModel;

/** The {@code --weights} option shared by every command that runs a model. */
public final class WeightsOption {

    @Option(names = {"-w", "--weights"}, paramLabel = "W",
            description = {"A DOVER-Mobile .pth state_dict, a .safetensors file, or a model bundle (directory or .zip).",
                    "Default: the bootstrap model (seeded random backbone, heads fitted on synthetic videos; NOT the",
                    "published DOVER-Mobile), built once and cached in $VQA_HOME or ~/.cache/vqa-mini."})
    Path weights;

    public Path path() {
        return weights;
    }

    /**
     * The model ready to score: a bundle with its own graphs (INT8 ones included, as a scorer would serve them),
     * other weights with graphs built from them, or the (cached) fitted bootstrap model.
     */
    public QualityModel model(RunnerOptions options) {
        return weights != null ? ModelLoader.qualityModel(weights, options)
                : new QualityModel(definition(options), options);
    }

    /** The model to use: the given weights, or the (cached) fitted bootstrap model. */
    public ModelDefinition definition(RunnerOptions options) {
        return weights != null ? ModelLoader.load(weights)
                : BootstrapHeads.load(BootstrapHeads.defaultCache(), options, m -> System.err.println("bootstrap: " + m));
    }
}
