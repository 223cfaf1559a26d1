package dev.vqamini.cli;

import dev.vqamini.model.bundle.ModelLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.io.NpyArray;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.clips.View;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.Arrays;

/** {@code vqa model run}: the raw network on .npy inputs, for parity checks against upstream. */
@Command(name = "model", description = "Run the DOVER-Mobile network itself on tensors.",
        mixinStandardHelpOptions = true, subcommands = ModelCommand.Run.class)
public final class ModelCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run both branches on normalised float32 N x 3 x T x H x W .npy inputs (as upstream feeds them) ",
                    "and write aesthetic_head_map.npy, technical_head_map.npy (N x 1 x T' x H' x W') and scores.json."})
    static final class Run implements Callable<Integer> {

        @Mixin
        WeightsOption weights;

        @Option(names = "--aesthetic", required = true, description = "Aesthetic view input (.npy, float32 N x 3 x T x H x W).")
        Path aesthetic;

        @Option(names = "--technical", required = true, description = "Technical view input (.npy, float32 N x 3 x T x H x W).")
        Path technical;

        @Option(names = "--out", required = true, description = "Output directory (created if missing).")
        Path out;

        @Mixin
        RuntimeOptions runtime;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Map<String, Object> scores = new LinkedHashMap<>();
            try (QualityModel model = ModelLoader.qualityModel(weights.path(), runtime.options())) {
                for (View view : new View[] {View.AESTHETIC, View.TECHNICAL}) {
                    NpyArray input = NpyArray.read(view == View.AESTHETIC ? aesthetic : technical);
                    if (input.shape().length != 5 || input.shape()[1] != 3) {
                        throw new IllegalArgumentException(view.key() + " input must be N x 3 x T x H x W, got "
                                + Arrays.toString(input.shape()));
                    }
                    BranchOutput o = model.runNormalised(view, input.data(), input.shape());
                    new NpyArray(o.headMapShape(), o.headMap()).write(out.resolve(view.key() + "_head_map.npy"));
                    scores.put(view.key(), o.scores());
                }
                System.err.println("model " + model.version() + " on " + model.provider() + ": wrote " + out);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("scores.json").toFile(), scores);
            return 0;
        }
    }
}
