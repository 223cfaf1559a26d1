package dev.vqamini.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --weights} option shared by every command that runs a model. */
public final class WeightsOption {

    @Option(names = {"-w", "--weights"}, paramLabel = "W",
            description = {"A DOVER-Mobile .pth state_dict, a .safetensors file, or a model bundle (directory or .zip).",
                    "Default: the bootstrap model (seeded random weights; NOT the published DOVER-Mobile)."})
    Path weights;

    public Path path() {
        return weights;
    }
}
