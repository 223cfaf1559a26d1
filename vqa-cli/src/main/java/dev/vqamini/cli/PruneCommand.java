package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.dataset.DatasetFolder;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.prune.PruneConfig;
import dev.vqamini.prune.PruneRecipe;
import dev.vqamini.prune.PruningJob;
import dev.vqamini.views.ViewSampler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vqa prune}: prune a model with one recipe, refit its heads, evaluate it, and write it as a bundle. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune DOVER-Mobile and write the result as a model bundle whose manifest holds the recipe, the",
                "architecture, parameter and FLOP counts, fusion constants and an evaluation report on held-out videos.",
                "Structural recipes remove channels and blocks physically; 'unstructured' only zeroes weights (sizes",
                "compress, dense latency does not fall). Heads are refitted in closed form (ridge) to reproduce the",
                "unpruned model's head maps position by position (distillation), or on MOS labels if asked."})
public final class PruneCommand implements Callable<Integer> {

    @Mixin WeightsOption weights;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--recipe", required = true, description = "unstructured, structured, channel, layer-specific, layer-specific+channel")
    String recipe;

    @Option(names = "--target-params", required = true, paramLabel = "F", description = "Fraction of the parameters to keep, e.g. 0.2.")
    double targetParams;

    @Option(names = "--target-flops", paramLabel = "F", description = "Fraction of the FLOPs per clip to keep (default: same as --target-params).")
    Double targetFlops;

    @Option(names = "--calibration", required = true, paramLabel = "DIR", description = "Folder of calibration videos (e.g. from `vqa synth`).")
    Path calibration;

    @Option(names = "--labels", paramLabel = "FILE", description = "Label file (filename, a, b, mos); default DIR/labels.txt if present.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Bundle directory to write.")
    Path out;

    @Option(names = "--parent-out", paramLabel = "BUNDLE",
            description = "Also write the unpruned model as a bundle (useful with the bootstrap model, whose heads the job fits first).")
    Path parentOut;

    @Option(names = "--model-version", paramLabel = "V",
            description = "Version name of the pruned model (default: derived from parent and recipe).")
    String version;

    @Option(names = "--importance", defaultValue = "activation", description = "activation (calibration clips) or magnitude (weights only).")
    String importance;

    @Option(names = "--global", description = "unstructured only: one magnitude threshold across layers instead of per layer.")
    boolean global;

    @Option(names = "--refit-target", defaultValue = "teacher",
            description = "teacher (default: distil the unpruned model's head maps, no labels needed) or labels (ridge on MOS).")
    String refitTarget;

    @Option(names = "--scan-videos", defaultValue = "3", description = "Calibration videos for activations and the sensitivity scan.")
    int scanVideos;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed for the calibration views.")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PruneRecipe r = PruneRecipe.parse(recipe);
        PruneConfig config = new PruneConfig(r, targetParams, targetFlops != null ? targetFlops : targetParams,
                PruneConfig.ImportanceKind.valueOf(importance.toUpperCase()), global, 8, scanVideos,
                PruneConfig.RefitTarget.valueOf(refitTarget.toUpperCase()));
        ModelDefinition parent = weights.definition(runtime.options());
        ViewSampler sampler = new ViewSampler();
        List<CalibrationVideo> videos = DatasetFolder.list(calibration, DatasetFolder.defaultLabels(calibration, labels)).stream()
                .map(e -> new CalibrationVideo(e.name(), e.mos(), () -> sampler.sample(e.file(), seed))).toList();
        String v = version != null ? version : parent.version() + "-" + r.cliName().replace('+', '-') + "-p" + Math.round(100 * targetParams);
        PruningJob.Outcome outcome = new PruningJob(config, runtime.options(), m -> System.err.println("prune: " + m))
                .run(parent, v, videos);
        Map<String, Object> evaluation = new LinkedHashMap<>(new ObjectMapper().convertValue(outcome.report(), Map.class));
        evaluation.put("history", outcome.history().stream().map(Object::toString).toList());
        ModelBundle.write(outcome.model(), out, outcome.parent().version(), r.cliName() + " " + config, evaluation);
        if (parentOut != null) {
            ModelBundle.write(outcome.parent(), parentOut, null, null, Map.of("srccLabels", outcome.report().parentSrccLabels(),
                    "plccLabels", outcome.report().parentPlccLabels(), "srccVsParent", 1.0));
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(outcome.report()));
        } else {
            System.out.println(outcome.report().summary());
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
