package dev.vqamini.cli;

import dev.vqamini.release.RolloutPlans;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.quality.rollout.RolloutSimulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vqa rollout simulate}: the real rollout controller over whole plans on synthetic paired scores. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the real rollout controller and its sequential gates over many whole plans on synthetic",
                "paired scores and report how the plans end: promoted, rolled back or paused for an operator, and",
                "how many paired videos it took. The stable and candidate scores of each video are bivariate normal",
                "with Pearson 2 sin(pi A / 6), whose population Spearman agreement is exactly A; one paired video",
                "arrives per simulated second and the controller decides after each. The cost gates are off; without",
                "--true-srcc-drop there are no labels either, as in a label-free plan, and agreement decides alone.",
                "With it, MOS is drawn too (trivariate normal) and the paired SRCC-difference gate judges as well.",
                "",
                "The promise it checks: a candidate with A >= --min-agreement is rolled back in at most --alpha of",
                "plans; one with A <= --min-agreement - --indifference is promoted in at most --beta of plans.",
                "With MOS: a drop of at most --max-srcc-drop is rolled back in at most --alpha of plans, one of",
                "--max-srcc-drop plus --indifference or more promoted in at most --beta. Needs no broker."})
public final class RolloutSimulateCommand implements Callable<Integer> {

    @Option(names = "--true-agreement", paramLabel = "A",
            description = "The candidate's population Spearman agreement with stable, in [-1, 1] (without"
                    + " --true-srcc-drop: required).")
    Double trueAgreement;
    @Option(names = "--true-srcc-drop", paramLabel = "X",
            description = "With MOS: the candidate's population SRCC against MOS is X below the stable version's;"
                    + " the paired SRCC-difference gate judges it too (its agreement with stable follows from X).")
    Double trueSrccDrop;
    @Option(names = "--stable-srcc", defaultValue = "0.85", paramLabel = "S",
            description = "With --true-srcc-drop: the stable version's population SRCC against MOS (default ${DEFAULT-VALUE}).")
    double stableSrcc;
    @Option(names = "--labelled-fraction", defaultValue = "1", paramLabel = "F",
            description = "With --true-srcc-drop: share of the paired videos with MOS (default ${DEFAULT-VALUE}).")
    double labelledFraction;
    @Option(names = "--max-srcc-drop", defaultValue = "" + RolloutPlans.DEFAULT_MAX_SRCC_DROP, paramLabel = "D",
            description = "With --true-srcc-drop: a drop of at most D is acceptable, one of D plus --indifference is not"
                    + " (default ${DEFAULT-VALUE}).")
    double maxSrccDrop;
    @Option(names = "--min-labelled", defaultValue = "" + RolloutPlans.DEFAULT_MIN_LABELLED, paramLabel = "N",
            description = "With --true-srcc-drop: labelled pairs before the SRCC difference is judged (default ${DEFAULT-VALUE}).")
    int minLabelled;
    @Mixin
    RolloutErrorRateOptions rates;
    @Option(names = "--steps", defaultValue = "5,50,100", split = ",", paramLabel = "PERCENT",
            description = "Traffic per step in percent (default ${DEFAULT-VALUE}).")
    List<Double> steps;
    @Option(names = "--min-videos", defaultValue = "20", paramLabel = "N",
            description = "Paired videos each step needs at least (default ${DEFAULT-VALUE}).")
    int minVideos;
    @Option(names = "--min-seconds", defaultValue = "0", paramLabel = "S",
            description = "Seconds each step lasts at least; one paired video arrives per second (default ${DEFAULT-VALUE}).")
    long minSeconds;
    @Option(names = "--replications", defaultValue = "1000", paramLabel = "R",
            description = "Plans simulated (default ${DEFAULT-VALUE}).")
    int replications;
    @Option(names = "--seed", defaultValue = "1", paramLabel = "X", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RolloutSimulator.Settings settings;
        try {
            RolloutSimulator.Labels labels = trueSrccDrop == null ? null
                    : new RolloutSimulator.Labels(labelledFraction, stableSrcc, trueSrccDrop);
            if (labels == null && trueAgreement == null) {
                throw new IllegalArgumentException("give --true-agreement (or --true-srcc-drop to simulate with MOS)");
            }
            settings = new RolloutSimulator.Settings(labels == null ? trueAgreement : labels.trueAgreement(),
                    rates.gates().setMaxSrccDrop(maxSrccDrop).setMinLabelledPairs(minLabelled).build(),
                    steps.stream().map(p -> p / 100).toList(), minVideos, minSeconds, replications, seed, labels);
            settings.gates();
        } catch (IllegalArgumentException e) {
            System.err.println("rollout simulate: " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        int every = Math.max(1, replications / 10);
        RolloutSimulator.Result r;
        try {
            r = RolloutSimulator.run(settings, done -> {
                if (done % every == 0) {
                    System.err.printf(Locale.ROOT, "rollout simulate: %d of %d plans%n", done, replications);
                }
            });
        } catch (IllegalArgumentException e) {
            System.err.println("rollout simulate: " + e.getMessage());
            return 2;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("true_agreement", settings.agreement());
            if (trueSrccDrop != null) {
                m.put("true_srcc_drop", trueSrccDrop);
                m.put("stable_srcc", stableSrcc);
                m.put("labelled_fraction", labelledFraction);
                m.put("max_srcc_drop", maxSrccDrop);
            }
            m.put("min_agreement", rates.minAgreement);
            m.put("indifference", rates.indifference);
            m.put("alpha", rates.alpha);
            m.put("beta", rates.beta);
            m.put("steps", steps);
            m.put("min_videos", minVideos);
            m.put("min_seconds", minSeconds);
            m.put("max_videos", r.maxVideos());
            m.put("replications", replications);
            m.put("seed", seed);
            m.put("promote", r.promote());
            m.put("roll_back", r.rollBack());
            m.put("pause", r.pause());
            Map<String, Object> se = new LinkedHashMap<>();
            se.put("promote", r.standardError(r.promote()));
            se.put("roll_back", r.standardError(r.rollBack()));
            m.put("standard_error", se);
            m.put("videos_p50", r.videosP50());
            m.put("videos_p90", r.videosP90());
            m.put("videos_mean", r.videosMean());
            m.put("fixed_sample_videos", r.fixedSampleVideos());
            m.put("seconds", seconds);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return 0;
        }
        double agreement = settings.agreement();
        double unacceptable = rates.minAgreement - rates.indifference;
        String verdict = trueSrccDrop != null ? labelledVerdict(r)
                : agreement >= rates.minAgreement ? String.format(Locale.ROOT,
                "acceptable (A >= %.3f): rolled back in %.2f %% of plans, promise <= %.2f %%", rates.minAgreement,
                100 * r.rollBack(), 100 * rates.alpha)
                : agreement <= unacceptable ? String.format(Locale.ROOT,
                "unacceptable (A <= %.3f): promoted in %.2f %% of plans, promise <= %.2f %%", unacceptable,
                100 * r.promote(), 100 * rates.beta)
                : "inside the indifference zone: either decision is acceptable";
        System.out.printf(Locale.ROOT, "%d plans of steps %s %%, true agreement %.3f, threshold %.3f, margin %.3f:%n",
                replications, steps.stream().map(p -> String.format(Locale.ROOT, "%.0f", p)).toList(), agreement,
                rates.minAgreement, rates.indifference);
        if (trueSrccDrop != null) {
            System.out.printf(Locale.ROOT, "  with MOS on %.0f %% of the videos: stable SRCC %.3f, the candidate's %.3f lower;"
                    + " acceptable drop %.3f%n", 100 * labelledFraction, stableSrcc, trueSrccDrop, maxSrccDrop);
        }
        System.out.printf(Locale.ROOT, "  promoted %.2f %%, rolled back %.2f %%, paused %.2f %% (Monte Carlo s.e. up to %.2f %%)%n",
                100 * r.promote(), 100 * r.rollBack(), 100 * r.pause(), 100 * r.standardError(0.5));
        System.out.printf(Locale.ROOT, "  paired videos to the decision: median %.0f, 90th percentile %.0f, at most %d;"
                + " a fixed-sample test needs %d%n", r.videosP50(), r.videosP90(), r.maxVideos(), r.fixedSampleVideos());
        System.out.println("  " + verdict);
        System.err.printf(Locale.ROOT, "rollout simulate: %.1f s%n", seconds);
        return 0;
    }

    /** The promise as it applies to an SRCC drop: rolled back only above the acceptable drop plus the margin. */
    private String labelledVerdict(RolloutSimulator.Result r) {
        if (trueSrccDrop <= maxSrccDrop && r.settings().agreement() >= rates.minAgreement) {
            return String.format(Locale.ROOT, "acceptable (drop <= %.3f, agreement >= %.3f): rolled back in %.2f %% of"
                    + " plans, promise <= %.2f %%", maxSrccDrop, rates.minAgreement, 100 * r.rollBack(), 100 * rates.alpha);
        }
        if (trueSrccDrop >= maxSrccDrop + rates.indifference) {
            return String.format(Locale.ROOT, "unacceptable (drop >= %.3f): promoted in %.2f %% of plans, promise <= %.2f %%",
                    maxSrccDrop + rates.indifference, 100 * r.promote(), 100 * rates.beta);
        }
        return "inside the indifference zone: either decision is acceptable";
    }
}
