package dev.vqamini.cli;

import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vqa import-weights}: a .pth state_dict into a model bundle (checked, safetensors + ONNX + manifest). */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = {"Import a DOVER-Mobile .pth state_dict (read safely: only tensors are accepted) into a model bundle:",
                "manifest.json, weights.safetensors and one ONNX graph per branch, each with its sha256.",
                "The published weights come under their authors' non-commercial S-Lab license."})
public final class ImportWeightsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WEIGHTS.pth", description = "The state_dict to import.")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Bundle directory to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelDefinition definition = ModelLoader.load(weights);
        ModelBundle bundle = ModelBundle.write(definition, out);
        System.out.printf("imported %s as %s: %,d parameters (%,d with the unused classifiers), %.2f GFLOPs per clip -> %s%n",
                weights, definition.version(), bundle.manifest().parameters(), bundle.manifest().parametersWithClassifier(),
                bundle.manifest().flopsPerClip() / 1e9, out);
        return 0;
    }
}
