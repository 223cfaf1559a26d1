package dev.vqamini.cli;

import dev.vqamini.clips.View;
import dev.vqamini.prune.PruneReplay;
import dev.vqamini.bundle.ServingBundle;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.dataset.DatasetFolder;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.latency.LatencyTable;
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
import java.nio.file.Files;

/** {@code vqa prune}: prune a model with one recipe, refit its heads, evaluate it, and write it as a bundle. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune DOVER-Mobile and write the result as a model bundle whose manifest holds the recipe, the",
                "architecture, parameter and FLOP counts, fusion constants and an evaluation report on held-out videos.",
                "Structural recipes remove channels and blocks physically; 'unstructured' only zeroes weights (sizes",
                "compress, dense latency does not fall). Heads are refitted in closed form (ridge) to reproduce the",
                "unpruned model's head maps position by position (distillation), or on MOS labels if asked.",
                "With --replay BUNDLE: re-apply that pruned version's recorded history (every kept channel) to the",
                "parent weights given with --weights, write the result to --out and say whether both graphs are",
                "byte-identical to the bundle's (exit 1 if not)."})
public final class PruneCommand implements Callable<Integer> {

    @Mixin WeightsOption weights;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--replay", paramLabel = "BUNDLE",
            description = "A pruned bundle whose history to re-apply to --weights (its parent); --recipe and the rest are then taken from it.")
    Path replay;

    @Option(names = "--recipe", description = "unstructured, structured, channel, layer-specific, layer-specific+channel")
    String recipe;

    @Option(names = "--target-params", paramLabel = "F", description = "Fraction of the parameters to keep, e.g. 0.2.")
    Double targetParams;

    @Option(names = "--target-flops", paramLabel = "F", description = "Fraction of the FLOPs per clip to keep (default: same as --target-params).")
    Double targetFlops;

    @Option(names = "--target-latency", paramLabel = "F",
            description = "Instead of --target-params/--target-flops: the fraction of the unpruned model's latency to keep, as the "
                    + "latency table predicts it on the table's hardware (recipe layer-specific+channel by default). The result is "
                    + "timed against the parent, interleaved, and re-planned up to twice if the measured ratio misses.")
    Double targetLatency;

    @Option(names = "--latency-table", paramLabel = "FILE",
            description = "The table for --target-latency (from `vqa latency-table --out FILE`); default: measure one now (minutes).")
    Path latencyTable;

    @Option(names = "--calibration", paramLabel = "DIR", description = "Folder of calibration videos (e.g. from `vqa synth`).")
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

    @Option(names = "--channel-multiple", paramLabel = "N",
            description = "Round pruned channel counts to multiples of N (default 8; 16 measured no faster on AVX-512, docs/benchmarks.md).")
    Integer channelMultiple;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed for the calibration views.")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (replay != null) {
            return replay();
        }
        if (targetLatency != null && recipe == null) {
            recipe = PruneRecipe.LAYER_SPECIFIC_CHANNEL.cliName();
        }
        if (recipe == null || (targetParams == null && targetLatency == null) || calibration == null) {
            System.err.println("prune: --recipe, --target-params (or --target-latency) and --calibration are required (or --replay BUNDLE)");
            return 2;
        }
        LatencyTable table = null;
        if (latencyTable != null) {
            if (targetLatency == null) {
                System.err.println("prune: --latency-table goes with --target-latency");
                return 2;
            }
            table = LatencyTable.read(latencyTable);
        }
        Inputs.folder(calibration, "--calibration", "calibration folder", "a folder of videos, e.g. from vqa synth");
        if (labels != null) {
            Inputs.labels(labels, "--labels", "--calibration");
        }
        PruneConfig config = PruneConfig.builder(recipe, targetParams).targetFlops(targetFlops).targetLatency(targetLatency).importance(importance)
                .globalSparsity(global).scanVideos(scanVideos).refitTarget(refitTarget).channelMultiple(channelMultiple).build();
        PruneRecipe r = config.recipe();
        ModelDefinition parent = weights.definition(runtime.options());
        ViewSampler sampler = new ViewSampler();
        List<CalibrationVideo> videos = DatasetFolder.list(calibration, DatasetFolder.defaultLabels(calibration, labels)).stream()
                .map(e -> new CalibrationVideo(e.name(), e.mos(), () -> sampler.sample(e.file(), seed))).toList();
        String v = version != null ? version : parent.version() + "-" + r.cliName().replace('+', '-')
                + (targetLatency != null ? "-l" + Math.round(100 * targetLatency) : "-p" + Math.round(100 * targetParams));
        PruningJob.Outcome outcome = new PruningJob(config, runtime.options(), m -> System.err.println("prune: " + m), table)
                .run(parent, v, videos);
        Map<String, Object> evaluation = new LinkedHashMap<>(new ObjectMapper().convertValue(outcome.report(), Map.class));
        ModelBundle.write(outcome.model(), out, outcome.provenance(), evaluation);
        if (parentOut != null) {
            ModelBundle.write(outcome.parent(), parentOut, ModelBundle.unprunedProvenance(outcome.parent()), Map.of("srccLabels", outcome.report().parentSrccLabels(),
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

    /** Re-applies a bundle's history to the parent weights and compares the graphs byte for byte. */
    private int replay() throws Exception {
        if (weights.path() == null) {
            System.err.println("prune --replay: give the parent's weights with --weights (the version's provenance names it: "
                    + "parent version and spec hash)");
            return 2;
        }
        if (!Files.exists(replay)) {
            throw new IllegalArgumentException("bundle " + replay + " does not exist (give --replay BUNDLE, a pruned model"
                    + " bundle directory or .zip written by vqa prune)");
        }
        ModelBundle version = ModelBundle.read(replay);
        ModelDefinition parent = weights.definition(runtime.options());
        ModelBundle again = ModelBundle.write(PruneReplay.replay(version, parent), out, version.manifest().provenance(),
                version.manifest().evaluation());
        boolean same = true;
        for (View view : View.values()) {
            String file = ServingBundle.onnxFile(view);
            String was = version.manifest().files().get(file);
            String now = again.manifest().files().get(file);
            same &= was.equals(now);
            System.out.printf("%s: %s %s (%s)%n", file, was.equals(now) ? "identical" : "DIFFERENT", now, was);
        }
        System.out.println(same ? "replayed " + version.manifest().version() + " from " + parent.version() + ": identical graphs"
                : "replay of " + version.manifest().version() + " differs: these weights are not its parent's");
        return same ? 0 : 1;
    }
}
