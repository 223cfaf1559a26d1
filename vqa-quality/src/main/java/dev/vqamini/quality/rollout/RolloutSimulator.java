package dev.vqamini.quality.rollout;

import dev.vqamini.quality.PairedScores;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.PlanState;
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
 * writer applies them. Without labels or cost figures only the agreement gate decides (the others are off).
 */
public final class RolloutSimulator {

    private static final String MODEL = "dover-mobile";
    private static final String STABLE = "stable";
    private static final String CANDIDATE = "candidate";

    /**
     * @param trueAgreement population Spearman correlation of the candidate's scores with the stable's
     * @param errorRates    the plan's min agreement, indifference, alpha, beta and max videos (other gates ignored)
     * @param steps         traffic weights in [0, 1]
     */
    public record Settings(double trueAgreement, RolloutGates errorRates, List<Double> steps, int minVideos, long minSeconds,
                           int replications, long seed) {

        public Settings {
            if (!(trueAgreement >= -1 && trueAgreement <= 1)) {
                throw new IllegalArgumentException("--true-agreement must be in [-1, 1], got " + trueAgreement);
            }
            if (replications < 1) {
                throw new IllegalArgumentException("--replications must be at least 1, got " + replications);
            }
            steps = List.copyOf(steps);
        }

        /** The plan's gates: agreement only, with these error rates (refuses rates or margins that make no sense). */
        public RolloutGates gates() {
            // labels and cost gates off: agreement decides alone, as in a label-free plan
            return RolloutPlans.withDefaults(errorRates.toBuilder().setMaxSrccDrop(0).setMaxP99LatencyIncrease(0)
                    .setMaxThroughputDecrease(0).build());
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
        double pearson = 2 * Math.sin(Math.PI * s.trueAgreement() / 6);
        double noise = Math.sqrt(Math.max(0, 1 - pearson * pearson));
        // a plan that passes every gate still walks its steps' minimums: bound the walk well past both
        int limit = maxVideos + s.steps().size() * (s.minVideos() + (int) s.minSeconds()) + 10;
        double[] stable = new double[limit];
        double[] candidate = new double[limit];
        int stepStart = 0;
        for (int n = 1; n <= limit; n++) {
            double x = gaussian(random);
            stable[n - 1] = x;
            candidate[n - 1] = pearson * x + noise * gaussian(random);
            long nowMs = n * 1000L;
            PairedScores pairs = new PairedScores(Arrays.copyOf(stable, n), Arrays.copyOf(candidate, n), nan(n));
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

    private static double[] nan(int n) {
        double[] m = new double[n];
        Arrays.fill(m, Double.NaN);
        return m;
    }

    private static int count(Run[] runs, End end) {
        return (int) Arrays.stream(runs).filter(r -> r.end() == end).count();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
