package dev.vqamini.quality.rollout;

import dev.vqamini.quality.PairedScores;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutGates;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs the real {@link RolloutController} over whole plans on synthetic paired scores and counts how they end: the
 * stable and candidate scores of each video are bivariate normal with Pearson correlation
 * {@code 2 sin(pi A / 6)}, whose population Spearman correlation is exactly {@code A} (Pearson 1907). One paired
 * video arrives per simulated second, the controller decides after each, its edits are applied as the rollout
 * writer applies them. Without labels only the agreement gate decides; with {@link Labels} the paired SRCC-difference
 * gate too. The cost gates are off.
 */
public final class RolloutSimulator {

    private static final String MODEL = "dover-mobile";
    private static final String STABLE = "stable";
    private static final String CANDIDATE = "candidate";

    /**
     * MOS on a share of the videos, for the paired SRCC-difference gate: MOS, stable and candidate scores are
     * trivariate normal, the stable version's population SRCC against MOS is {@code stableSrcc} and the candidate's
     * {@code trueSrccDrop} lower; the candidate is the stable score plus independent noise, so its agreement with
     * stable follows from the drop.
     *
     * @param fraction share of the paired videos that have MOS
     */
    public record Labels(double fraction, double stableSrcc, double trueSrccDrop) {

        public Labels {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("--labelled-fraction must be in (0, 1], got " + fraction);
            }
            if (!(stableSrcc > 0 && stableSrcc < 1 && trueSrccDrop >= 0 && trueSrccDrop < stableSrcc)) {
                throw new IllegalArgumentException("--stable-srcc must be in (0, 1) and --true-srcc-drop in [0, it), got "
                        + stableSrcc + " and " + trueSrccDrop);
            }
        }

        double stablePearson() {
            return 2 * Math.sin(Math.PI * stableSrcc / 6);
        }

        /** Pearson correlation of candidate and stable scores: candidate = k x stable + noise. */
        double candidateOnStable() {
            return 2 * Math.sin(Math.PI * (stableSrcc - trueSrccDrop) / 6) / stablePearson();
        }

        /** The population Spearman agreement of candidate and stable this implies. */
        public double trueAgreement() {
            return 6 / Math.PI * Math.asin(candidateOnStable() / 2);
        }
    }

    /**
     * @param trueAgreement population Spearman correlation of the candidate's scores with the stable's (with
     *                      {@code labels}: implied by the SRCC drop, this one is ignored)
     * @param errorRates    the plan's min agreement, indifference, alpha, beta and max videos; with {@code labels} also
     *                      its max SRCC drop and min labelled pairs (cost gates always off)
     * @param steps         traffic weights in [0, 1]
     * @param labels        null: no MOS, agreement decides alone
     */
    public record Settings(double trueAgreement, RolloutGates errorRates, List<Double> steps, int minVideos, long minSeconds,
                           int replications, long seed, Labels labels) {

        public Settings {
            if (!(trueAgreement >= -1 && trueAgreement <= 1)) {
                throw new IllegalArgumentException("--true-agreement must be in [-1, 1], got " + trueAgreement);
            }
            if (replications < 1) {
                throw new IllegalArgumentException("--replications must be at least 1, got " + replications);
            }
            steps = List.copyOf(steps);
        }

        /** Without MOS: agreement decides alone. */
        public Settings(double trueAgreement, RolloutGates errorRates, List<Double> steps, int minVideos, long minSeconds,
                        int replications, long seed) {
            this(trueAgreement, errorRates, steps, minVideos, minSeconds, replications, seed, null);
        }

        /**
         * The plan's gates (refuses rates or margins that make no sense): cost gates off; the labelled gate only with
         * labels, else agreement decides alone, as in a label-free plan.
         */
        public RolloutGates gates() {
            RolloutGates.Builder b = errorRates.toBuilder().setMaxP99LatencyIncrease(0).setMaxThroughputDecrease(0);
            if (labels == null) {
                b.setMaxSrccDrop(0);
            }
            return RolloutPlans.withDefaults(b.build());
        }

        /** The candidate's population agreement with stable in this simulation. */
        public double agreement() {
            return labels == null ? trueAgreement : labels.trueAgreement();
        }
    }

    /**
     * Outcome rates over the replications.
     *
     * @param promote          fraction of plans that ended promoted
     * @param rollBack         fraction rolled back
     * @param pause            fraction paused for an operator (undecided at the maximum)
     * @param videosP50        median paired videos to the final decision
     * @param videosP90        90th percentile
     * @param maxVideos        the plan's maximum before a pause
     * @param fixedSampleVideos paired videos a fixed-sample test with the same alpha, beta and margin needs
     */
    public record Result(Settings settings, int promoted, int rolledBack, int paused, double promote, double rollBack,
                         double pause, double videosP50, double videosP90, double videosMean, int maxVideos,
                         int fixedSampleVideos) {

        /** Monte Carlo standard error of a rate p over these replications. */
        public double standardError(double p) {
            return Math.sqrt(Math.max(p * (1 - p), 1e-12) / settings.replications());
        }
    }

    private enum End { PROMOTED, ROLLED_BACK, PAUSED }

    private record Run(End end, int videos) {
    }

    private RolloutSimulator() {
    }

    /** Runs every replication (in parallel, each on its own seeded stream); {@code progress} gets each one's index. */
    public static Result run(Settings s, IntConsumer progress) {
        RolloutGates gates = s.gates();
        RolloutGateJudge judge = new RolloutGateJudge(gates);
        int maxVideos = judge.maxVideos(s.steps().size(), s.minVideos());
        AtomicInteger done = new AtomicInteger();
        Run[] runs = IntStream.range(0, s.replications()).parallel().mapToObj(i -> {
            Run r = replicate(s, gates, new SplittableRandom(s.seed() * 1_000_003L + i), maxVideos);
            progress.accept(done.incrementAndGet());
            return r;
        }).toArray(Run[]::new);
        int promoted = count(runs, End.PROMOTED);
        int rolledBack = count(runs, End.ROLLED_BACK);
        int paused = count(runs, End.PAUSED);
        double[] videos = Arrays.stream(runs).mapToDouble(Run::videos).sorted().toArray();
        double n = s.replications();
        return new Result(s, promoted, rolledBack, paused, promoted / n, rolledBack / n, paused / n, percentile(videos, 0.5),
                percentile(videos, 0.9), Arrays.stream(videos).average().orElse(Double.NaN), maxVideos,
                judge.agreementTest().fixedSampleSize());
    }

    private static Run replicate(Settings s, RolloutGates gates, SplittableRandom random, int maxVideos) {
        Rollout rollout = apply(null, RolloutEdits.promote(STABLE));
        rollout = apply(rollout, RolloutPlans.plan(CANDIDATE, s.steps(), s.minVideos(), s.minSeconds(), gates, 1.0, 0));
        double pearson = s.labels() == null ? 2 * Math.sin(Math.PI * s.trueAgreement() / 6) : s.labels().candidateOnStable();
        double noise = Math.sqrt(Math.max(0, 1 - pearson * pearson));
        double onMos = s.labels() == null ? 0 : s.labels().stablePearson();
        // a plan that passes every gate still walks its steps' minimums: bound the walk well past both
        int limit = maxVideos + s.steps().size() * (s.minVideos() + (int) s.minSeconds()) + 10;
        double[] stable = new double[limit];
        double[] candidate = new double[limit];
        double[] mos = new double[limit];
        Arrays.fill(mos, Double.NaN);
        int stepStart = 0;
        for (int n = 1; n <= limit; n++) {
            // without labels no MOS is drawn, so a seed gives the same plans as before labels existed
            double m = s.labels() == null ? 0 : gaussian(random);
            double x = s.labels() == null ? gaussian(random) : onMos * m + Math.sqrt(1 - onMos * onMos) * gaussian(random);
            stable[n - 1] = x;
            candidate[n - 1] = pearson * x + noise * gaussian(random);
            if (s.labels() != null && random.nextDouble() < s.labels().fraction()) {
                mos[n - 1] = m;
            }
            long nowMs = n * 1000L;
            PairedScores pairs = new PairedScores(Arrays.copyOf(stable, n), Arrays.copyOf(candidate, n), Arrays.copyOf(mos, n));
            RolloutEvidence evidence = RolloutEvidence.paired(pairs, n - stepStart,
                    (nowMs - rollout.getPlan().getStepStartedAtMs()) / 1000);
            Optional<RolloutController.Decision> d = RolloutController.decide(rollout, evidence, nowMs);
            if (d.isEmpty() || d.get().edit().isEmpty()) {
                continue;
            }
            rollout = apply(rollout, d.get().edit().get());
            switch (rollout.getPlan().getState()) {
                case PLAN_STATE_PROMOTED -> {
                    return new Run(End.PROMOTED, n);
                }
                case PLAN_STATE_ROLLED_BACK -> {
                    return new Run(End.ROLLED_BACK, n);
                }
                case PLAN_STATE_PAUSED -> {
                    return new Run(End.PAUSED, n);
                }
                default -> stepStart = n; // stepped up: the next step's minimum counts from here
            }
        }
        return new Run(End.PAUSED, limit);
    }

    /** An edit applied the way RolloutWriter applies it: the model name set, the revision counted up. */
    private static Rollout apply(Rollout current, RolloutEdits.Edit edit) {
        return edit.apply(MODEL, Optional.ofNullable(current)).toBuilder().setModelName(MODEL)
                .setRevision(current == null ? 1 : current.getRevision() + 1).build();
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static int count(Run[] runs, End end) {
        return (int) Arrays.stream(runs).filter(r -> r.end() == end).count();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
