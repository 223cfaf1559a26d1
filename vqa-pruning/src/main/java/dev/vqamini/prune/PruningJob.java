package dev.vqamini.prune;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.heads.VideoFeatures;
import dev.vqamini.heads.FittedModel;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.bundle.Digests;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.RunnerOptions;
import ai.onnxruntime.OrtException;
import dev.vqamini.model.latency.InterleavedTiming;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.latency.LatencyTableMeasurer;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * One pruning run end to end: split the calibration videos, measure the unpruned model, plan and apply the
 * recipe, refit the heads and fusion constants, evaluate both models on the held-out split and measure costs.
 * Framework-free, so the CLI and the pruning-service run exactly the same code.
 */
public final class PruningJob {

    /** Fraction of videos held out for evaluation (chosen by a hash of the id, so stable across runs). */
    public static final double HELD_OUT = 0.3;

    private static final ObjectMapper CONFIG_JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CONFIG_MAP =
            new TypeReference<>() { };

    private final PruneConfig config;
    private final RunnerOptions options;
    private final Consumer<String> progress;
    private final LatencyTable latencyTable;

    /** Measured ratio within this of a latency target: no correction round. */
    static final double LATENCY_TOLERANCE = 0.015;
    /** Interleaved rounds (parent, pruned) per latency measurement. */
    static final int TIMING_ROUNDS = 15;
    /** Plans after the first when the measured latency ratio misses the target. */
    static final int CORRECTION_ROUNDS = 3;

    public PruningJob(PruneConfig config, RunnerOptions options, Consumer<String> progress) {
        this(config, options, progress, null);
    }

    /**
     * @param latencyTable the table a latency target is planned with; null: one is measured on the spot when the
     *                     configuration has a latency target (a few minutes)
     */
    public PruningJob(PruneConfig config, RunnerOptions options, Consumer<String> progress, LatencyTable latencyTable) {
        this.config = config;
        this.options = options;
        this.progress = progress;
        this.latencyTable = latencyTable;
    }

    /** The pruned model, its history, its report and its provenance (what a manifest records, replayable). */
    public record Outcome(ModelDefinition model, ModelDefinition parent, List<PruneStep> history, PruneReport report,
                          Provenance provenance) {
    }

    /** Calibration videos to fit the heads on, and those held out to evaluate. */
    record Split(List<CalibrationVideo> train, List<CalibrationVideo> test) {
    }

    static Split split(List<CalibrationVideo> videos) {
        if (videos.size() < 5) {
            throw new IllegalArgumentException("pruning needs at least 5 calibration videos (3 to fit, 2 held out), got "
                    + videos.size());
        }
        // Held out: the HELD_OUT share with the lowest hash of their id (a split that does not depend on order), at least
        // 2 and leaving at least 3 to fit. A threshold on the hash instead could hold out none of 8 videos.
        int heldOut = (int) Math.min(videos.size() - 3, Math.max(2, Math.round(videos.size() * HELD_OUT)));
        Set<String> testIds = videos.stream().sorted(Comparator.comparingInt((CalibrationVideo v) -> Math.floorMod(v.id().hashCode() * 0x9E3779B9, 1000))
                        .thenComparing(CalibrationVideo::id)).limit(heldOut).map(CalibrationVideo::id).collect(Collectors.toSet());
        List<CalibrationVideo> train = new ArrayList<>();
        List<CalibrationVideo> test = new ArrayList<>();
        for (CalibrationVideo v : videos) {
            (testIds.contains(v.id()) ? test : train).add(v);
        }
        return new Split(train, test);
    }

    /**
     * @param parent the unpruned model; if its heads were never fitted (the bootstrap model), they are fitted
     *               first on the calibration labels, and that fitted model is the parent the report compares to
     */
    public Outcome run(ModelDefinition parent, String version, List<CalibrationVideo> videos) {
        String parentVersion = parent.version();
        String parentSpecHash = Provenance.specHash(parent.spec());
        Split split = split(videos);
        List<CalibrationVideo> train = split.train();
        List<CalibrationVideo> test = split.test();
        boolean labelled = videos.stream().allMatch(v -> v.mos().isPresent());
        progress.accept(String.format("calibration: %d videos to fit, %d held out, %s", train.size(), test.size(),
                labelled ? "labelled" : "unlabelled"));

        List<VideoFeatures> parentTrain;
        List<VideoFeatures> parentTest;
        try (QualityModel model = new QualityModel(parent, options)) {
            parentTrain = VideoFeatures.extract(model, train, progress);
            parentTest = VideoFeatures.extract(model, test, progress);
        }
        FittedModel fittedParent = null;
        if (parent.heads() == Provenance.HeadsSource.RANDOM) {
            if (!labelled) {
                throw new IllegalArgumentException(parent.version() + " has random heads; fitting them needs labelled calibration videos");
            }
            progress.accept("fitting the unpruned model's heads on the calibration labels (its heads were random)");
            fittedParent = FittedModel.fit(parent, parentTrain, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
            Map<String, String> prov = new LinkedHashMap<>(parent.notes());
            prov.put("heads", "ridge refit on " + train.size() + " labelled calibration videos");
            parent = fittedParent.definition().withVersion(parent.version() + "-fitted", prov);
            fittedParent = new FittedModel(parent, fittedParent.technical(), fittedParent.aesthetic());
        }
        FittedModel teacher = fittedParent;
        var parentFusion = parent.fusion();
        ToDoubleFunction<VideoFeatures> parentFused = teacher != null ? teacher::fused
                : v -> parentFusion.fuse(v.technical().score(), v.aesthetic().score());

        ChannelSurgery.Pruned full = new ChannelSurgery.Pruned(parent.spec(), parent.weights());
        List<PruneStep> history = new ArrayList<>();
        ChannelSurgery.Pruned pruned;
        LatencyTarget latency = null;
        if (config.targetLatency() != null) {
            Map<View, List<ViewClips>> clips = scanClips(train);
            Importance importance = config.importance() == PruneConfig.ImportanceKind.ACTIVATION
                    ? new ActivationImportance(clips, options) : new MagnitudeImportance();
            LatencyTable table = latencyTable != null ? latencyTable : measureTable();
            LatencyPlanner planner = new LatencyPlanner(config, importance, new SensitivityScan(clips, options), table, progress);
            LatencyPlanned planned = planToLatency(planner, planner.scan(full), full, table);
            history.addAll(planned.steps());
            pruned = planned.model();
            latency = planned.target();
        } else if (config.recipe() == PruneRecipe.UNSTRUCTURED) {
            long params = ModelComplexity.of(parent.spec(), 32, 224, 224).parameters();
            pruned = new ChannelSurgery.Pruned(parent.spec(),
                    UnstructuredPruner.sparsify(parent.weights(), params, config.targetParams(), config.globalSparsity()));
        } else {
            Map<View, List<ViewClips>> clips = scanClips(train);
            Importance importance = config.importance() == PruneConfig.ImportanceKind.ACTIVATION
                    ? new ActivationImportance(clips, options) : new MagnitudeImportance();
            history.addAll(new StructuralPlanner(config, importance, new SensitivityScan(clips, options), progress).plan(full));
            pruned = ChannelSurgery.apply(full.spec(), full.weights(), history);
        }
        Map<String, String> provenance = new LinkedHashMap<>(parent.notes());
        if (latency != null) {
            provenance.put("latency.table.sha256", latency.tableSha256());
            provenance.put("latency.table.hardware", latency.table().describe());
        }
        provenance.put("parent", parent.version());
        provenance.put("recipe", config.recipe().cliName());
        provenance.put("prune.config", config.toString());
        ModelDefinition student = new ModelDefinition(parent.name(), version, pruned.spec(), pruned.weights(), parent.fusion(),
                provenance);

        List<VideoFeatures> studentTrain;
        List<VideoFeatures> studentTest;
        try (QualityModel model = new QualityModel(student, options)) {
            studentTrain = VideoFeatures.extract(model, train, progress);
            studentTest = VideoFeatures.extract(model, test, progress);
        }
        boolean onLabels = config.refitTarget() == PruneConfig.RefitTarget.LABELS;
        if (onLabels && !labelled) {
            throw new IllegalArgumentException("refitting heads on labels needs a label for every calibration video");
        }
        Map<String, VideoFeatures> parentById = new LinkedHashMap<>();
        parentTrain.forEach(v -> parentById.put(v.id(), v));
        FittedModel fitted;
        if (onLabels) {
            progress.accept("refitting heads on labels");
            fitted = FittedModel.fit(student, studentTrain, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
        } else {
            progress.accept("refitting heads on the unpruned model's head maps (distillation)");
            fitted = FittedModel.distil(student, studentTrain, v -> teacherMaps(teacher, parentById.get(v.id())));
        }
        provenance.put("heads", "ridge refit on " + (onLabels ? "labels" : "the unpruned model's head maps") + " of "
                + train.size() + " calibration videos");
        ModelDefinition result = fitted.definition().withVersion(version, provenance);

        progress.accept("measuring costs");
        ModelCosts parentCosts = ModelCosts.measure(parent, options, 3);
        ModelCosts costs = ModelCosts.measure(result, options, 3);
        double[] studentScores = studentTest.stream().mapToDouble(fitted::fused).toArray();
        double[] parentScores = parentTest.stream().mapToDouble(parentFused).toArray();
        double[] mos = labelled ? studentTest.stream().mapToDouble(v -> v.mos().getAsDouble()).toArray() : null;
        PruneReport report = new PruneReport(config.recipe().cliName(), costs, parentCosts, train.size(), test.size(),
                mos == null ? Double.NaN : srcc(studentScores, mos), mos == null ? Double.NaN : plcc(studentScores, mos),
                mos == null ? Double.NaN : srcc(parentScores, mos), mos == null ? Double.NaN : plcc(parentScores, mos),
                srcc(studentScores, parentScores), config.refitTarget(), latency, config.channelMultiple());
        progress.accept(report.summary());
        Provenance typed = new Provenance(Provenance.specHash(result.spec()), parentVersion, parentSpecHash,
                config.recipe().cliName(), CONFIG_JSON.convertValue(config, CONFIG_MAP), history.stream().map(PruneStep::toData).toList(),
                onLabels ? Provenance.HeadsSource.FITTED_ON_LABELS : Provenance.HeadsSource.DISTILLED_FROM_PARENT,
                calibrationDigest(videos), Provenance.currentBuild(), provenance);
        return new Outcome(result, parent, history, report, typed);
    }

    private LatencyTable measureTable() {
        progress.accept("no latency table given: measuring one on this host (vqa latency-table --out FILE saves one to reuse)");
        try {
            LatencyTable t = LatencyTableMeasurer.builder(options).channelMultiple(config.channelMultiple()).progress(progress).build().measure();
            progress.accept("latency table " + t.digest().substring(0, 12) + ": " + t.header().describe());
            return t;
        } catch (OrtException e) {
            throw new IllegalStateException("measuring a latency table failed: " + e.getMessage(), e);
        }
    }

    private record LatencyPlanned(List<PruneStep> steps, ChannelSurgery.Pruned model, LatencyTarget target) {
    }

    /**
     * Plans to the target, times the result against the parent (technical graphs, interleaved: the median of the
     * per-round ratios) and, while the measured ratio misses by more than {@link #LATENCY_TOLERANCE}, plans again at
     * {@link #nextFraction} (up to {@link #CORRECTION_ROUNDS} times); keeps the plan whose measured ratio came closest.
     */
    private LatencyPlanned planToLatency(LatencyPlanner planner, LatencyPlanner.Scanned scanned, ChannelSurgery.Pruned full,
                                         LatencyTable table) {
        double target = config.targetLatency();
        byte[] parentGraph = technicalGraph(full);
        int[] clip = table.header().clipFramesHeightWidth();
        double fraction = target;
        LatencyPlanned best = null;
        double bestMiss = Double.POSITIVE_INFINITY;
        List<double[]> rounds = new ArrayList<>();
        for (int round = 0; round <= CORRECTION_ROUNDS; round++) {
            LatencyPlanner.Plan plan = planner.plan(scanned, fraction);
            ChannelSurgery.Pruned model = ChannelSurgery.apply(full.spec(), full.weights(), plan.steps());
            List<InterleavedTiming.Timing> t;
            try {
                t = InterleavedTiming.time(List.of(parentGraph, technicalGraph(model)), options, clip[0], clip[1], clip[2], 2, TIMING_ROUNDS);
            } catch (OrtException e) {
                throw new IllegalStateException("timing the pruned graph failed: " + e.getMessage(), e);
            }
            double measured = InterleavedTiming.pairedRatio(t.get(0), t.get(1));
            progress.accept(String.format("latency round %d: planned at %.3f, predicted %.3f, measured %.3f (%.1f / %.1f ms), target %.3f",
                    round, fraction, plan.predictedRatio().get(View.TECHNICAL), measured, t.get(1).minMs(), t.get(0).minMs(), target));
            double miss = Math.abs(measured - target);
            if (miss < bestMiss) {
                bestMiss = miss;
                best = new LatencyPlanned(plan.steps(), model, new LatencyTarget(target, table.digest(), table.header(),
                        plan.predictedRatio().get(View.TECHNICAL), measured, t.get(1).minMs(), t.get(0).minMs(),
                        t.get(1).cpuSecondsPerClip(), t.get(0).cpuSecondsPerClip(), fraction, round));
            }
            if (miss <= LATENCY_TOLERANCE) {
                break;
            }
            rounds.add(new double[] {fraction, measured});
            fraction = nextFraction(rounds, target);
        }
        return best;
    }

    /**
     * The fraction to plan at next, from the rounds so far ({planned fraction, measured ratio}): between the closest
     * rounds on either side of the target, the straight line through them (plans change in steps, so scaling the last
     * round alone can jump back and forth over the target); with all rounds on one side, the closest one scaled by
     * its miss.
     */
    static double nextFraction(List<double[]> rounds, double target) {
        double[] below = null;
        double[] above = null;
        for (double[] r : rounds) {
            if (r[1] < target && (below == null || r[1] > below[1])) {
                below = r;
            } else if (r[1] >= target && (above == null || r[1] < above[1])) {
                above = r;
            }
        }
        double next;
        if (below != null && above != null && above[1] > below[1]) {
            next = below[0] + (above[0] - below[0]) * (target - below[1]) / (above[1] - below[1]);
        } else {
            double[] closest = below != null ? below : above;
            next = closest[0] * target / closest[1];
        }
        return Math.max(0.01, Math.min(1, next));
    }

    private static byte[] technicalGraph(ChannelSurgery.Pruned model) {
        return BranchGraph.build(model.spec().technical(), model.weights(), BranchKeys.of(View.TECHNICAL),
                InputFormat.RGB_UINT8, Map.of()).toByteArray();
    }

    /** sha256 over the calibration videos' ids and labels, sorted: the same set gives the same digest. */
    static String calibrationDigest(List<CalibrationVideo> videos) {
        String lines = videos.stream().map(v -> v.id() + "\t" + (v.mos().isPresent() ? v.mos().getAsDouble() : ""))
                .sorted().collect(Collectors.joining("\n"));
        return Digests.sha256(lines.getBytes(StandardCharsets.UTF_8));
    }

    /** The unpruned model's time-averaged head map per branch (from its refitted heads if it had random ones). */
    private static Map<View, double[]> teacherMaps(FittedModel teacher, VideoFeatures parent) {
        Map<View, double[]> maps = new EnumMap<>(View.class);
        for (View view : View.values()) {
            maps.put(view, teacher == null ? parent.branch(view).positionScores() : teacher.positionScores(view, parent));
        }
        return maps;
    }

    /** A few calibration clips per view for activation statistics and the sensitivity scan. */
    private Map<View, List<ViewClips>> scanClips(List<CalibrationVideo> train) {
        Map<View, List<ViewClips>> clips = new EnumMap<>(View.class);
        for (View v : View.values()) {
            clips.put(v, new ArrayList<>());
        }
        for (CalibrationVideo video : train.subList(0, Math.min(config.scanVideos(), train.size()))) {
            var views = video.views().get();
            clips.get(View.TECHNICAL).add(firstClip(views.technical()));
            clips.get(View.AESTHETIC).add(views.aesthetic());
        }
        return clips;
    }

    private static ViewClips firstClip(ViewClips c) {
        byte[] one = Arrays.copyOf(c.pixels(), c.clipBytes());
        return new ViewClips(c.view(), 1, c.frames(), c.height(), c.width(), one, new int[][] {c.frameIndices()[0]});
    }

    // commons-math directly: Agreement's logistic fit needs 4+ videos, a small held-out split may have fewer.
    static double srcc(double[] a, double[] b) {
        return new SpearmansCorrelation().correlation(a, b);
    }

    static double plcc(double[] a, double[] b) {
        return new PearsonsCorrelation().correlation(a, b);
    }
}
