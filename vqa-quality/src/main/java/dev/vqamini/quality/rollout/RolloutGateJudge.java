package dev.vqamini.quality.rollout;

import dev.vqamini.quality.PairedScores;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.stats.PairedAgreement;
import dev.vqamini.stats.QuantileSequence;
import dev.vqamini.stats.RankAgreementSequence;
import dev.vqamini.stats.SequentialTest;
import dev.vqamini.wire.proto.GateOutcome;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.RolloutGates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a plan's gates on its evidence, each with a statistic whose error rates hold at every look:
 * <ul>
 *   <li>{@code agreement_srcc}: the sequential test of the candidate's rank agreement with stable
 *       ({@link RankAgreementSequence}) on every pair since the plan began;</li>
 *   <li>{@code paired_srcc_difference} (with MOS): a {@link SequentialTest} of SRCC(candidate) - SRCC(stable)
 *       against MOS, a drop of {@code max_srcc_drop} acceptable and one {@code indifference} larger not, on the
 *       variance of Zou's (2007) dependent-correlation interval; skipped without enough labels;</li>
 *   <li>{@code p50_latency_ratio} and {@code throughput_ratio} (from the first step with real traffic): anytime-valid
 *       intervals ({@link QuantileSequence}) of each version's median end-to-end seconds and median model seconds per
 *       video; they fail only when the whole ratio interval is past the limit and pass on the point ratio. Medians,
 *       not p99: no method bounds a 99th percentile from the few hundred videos of a plan without assuming a
 *       distribution (an upper bound needs several hundred videos above it), while a median's interval is useful
 *       from tens;</li>
 *   <li>{@code refusals}: no scorer refused the candidate.</li>
 * </ul>
 * The plan's {@code alpha} is split evenly over the gates in force (agreement, and each of the others turned on
 * by a margin above 0), so a candidate acceptable on all of them is rolled back with probability at most alpha.
 * {@code beta} bounds promotion of a candidate whose agreement is unacceptable: promotion needs every gate to pass.
 */
public final class RolloutGateJudge {

    /** Below this many real candidate videos its latency and throughput are not judged. */
    static final int MIN_COST_VIDEOS = 5;

    private final RolloutGates gates;
    private final double gateAlpha;

    /** @param gates the plan's gates with their defaults filled ({@code RolloutPlans.withDefaults}) */
    public RolloutGateJudge(RolloutGates gates) {
        this.gates = gates;
        int inForce = 1 + (gates.getMaxSrccDrop() > 0 ? 1 : 0) + (gates.getMaxP99LatencyIncrease() > 0 ? 1 : 0)
                + (gates.getMaxThroughputDecrease() > 0 ? 1 : 0);
        this.gateAlpha = gates.getAlpha() / inForce;
    }

    /** The false rollback rate each gate in force holds. */
    public double gateAlpha() {
        return gateAlpha;
    }

    /** The agreement test this plan runs. */
    public RankAgreementSequence agreementTest() {
        return new RankAgreementSequence(gates.getMinAgreementSrcc(), gates.getIndifference(), gateAlpha, gates.getBeta());
    }

    /**
     * Paired videos after which an undecided plan pauses: the plan's own, or 1.25 x the fixed-sample size of the same
     * test; never fewer than the steps' minimums together need.
     */
    public int maxVideos(int steps, int minVideosPerStep) {
        int max = gates.getMaxVideos() > 0 ? gates.getMaxVideos() : (int) Math.ceil(1.25 * agreementTest().fixedSampleSize());
        return Math.max(max, steps * minVideosPerStep);
    }

    /** Every gate judged on the evidence, in a fixed order. */
    public List<GateValue> gates(RolloutEvidence e, boolean servesTraffic) {
        List<GateValue> out = new ArrayList<>();
        out.add(agreement(e.planPairs()));
        out.add(srccDifference(e.planPairs()));
        // A shadow-only step (weight 0) serves no video: the cost of real traffic is judged from the first real step.
        double latencyMargin = servesTraffic ? gates.getMaxP99LatencyIncrease() : 0;
        out.add(costRatio("p50_latency_ratio", latencyMargin, 1 + gates.getMaxP99LatencyIncrease(), 0.5, true,
                e.candidateCost(), e.stableCost()));
        double throughputMargin = servesTraffic ? gates.getMaxThroughputDecrease() : 0;
        out.add(costRatio("throughput_ratio", throughputMargin, 1 - gates.getMaxThroughputDecrease(), 0.5, false,
                e.candidateCost(), e.stableCost()));
        // A scorer that refused the candidate (checksum, signature, graph, probe) cannot serve it: zero allowed.
        out.add(GateValue.newBuilder().setName("refusals").setValue(e.candidateRefusals()).setThreshold(0).setLow(Double.NaN)
                .setHigh(Double.NaN).setFailAt(1).setPassAt(0).setEvidence(Double.NaN)
                .setN((int) Math.min(e.candidateRefusals(), Integer.MAX_VALUE))
                .setOutcome(e.candidateRefusals() == 0 ? GateOutcome.GATE_OUTCOME_PASS : GateOutcome.GATE_OUTCOME_FAIL).build());
        return out;
    }

    private GateValue agreement(PairedScores pairs) {
        RankAgreementSequence.Look look = agreementTest().look(pairs.stable(), pairs.candidate());
        return GateValue.newBuilder().setName("agreement_srcc").setThreshold(gates.getMinAgreementSrcc())
                .setValue(look.agreement()).setLow(look.low()).setHigh(look.high()).setN(look.n())
                .setFailAt(look.failBelow()).setPassAt(look.passAbove()).setEvidence(look.evidence())
                .setAlpha(gateAlpha).setBeta(gates.getBeta()).setOutcome(outcome(look.outcome())).build();
    }

    private GateValue srccDifference(PairedScores pairs) {
        double acceptable = -gates.getMaxSrccDrop();
        // computed only when the gate is on: the simulator looks thousands of times without labels
        PairedAgreement p = gates.getMaxSrccDrop() > 0 ? pairs.agreement() : PairedAgreement.of(new double[0], new double[0], null);
        GateValue.Builder b = GateValue.newBuilder().setName("paired_srcc_difference").setThreshold(acceptable)
                .setValue(p.srccDifference()).setN(p.labelled()).setLow(Double.NaN).setHigh(Double.NaN)
                .setFailAt(Double.NaN).setPassAt(Double.NaN).setEvidence(Double.NaN).setAlpha(gateAlpha).setBeta(gates.getBeta());
        if (gates.getMaxSrccDrop() <= 0 || p.labelled() < Math.max(gates.getMinLabelledPairs(), PairedAgreement.MIN_VIDEOS)
                || !p.srccDifferenceCi().known()) {
            return b.setOutcome(GateOutcome.GATE_OUTCOME_SKIPPED).build(); // off, or no labels (yet): agreement decides
        }
        // Zou's interval is 95 %; its half-width over 1.96 is the difference's standard error. It is built on Fieller's
        // Spearman variance 1.06 / (n - 3), too small at the correlations of useful models (0.8 and up); Bonett and
        // Wright's (1 + r^2 / 2) / (n - 3) holds there. Simulated (50 % labelled, drop 0.07, 3 seeds of 1,000 plans):
        // false promotion 5.0-5.8 % with Fieller's, 2.4-3.2 % with this.
        double r = (p.stableSrcc() + p.candidateSrcc()) / 2;
        double se = (p.srccDifferenceCi().high() - p.srccDifferenceCi().low()) / (2 * 1.959963984540054)
                * Math.sqrt((1 + r * r / 2) / 1.06);
        SequentialTest test = new SequentialTest(acceptable, acceptable - gates.getIndifference(), gateAlpha, gates.getBeta());
        SequentialTest.Look look = test.look(p.srccDifference(), se > 0 ? 1 / (se * se) : 0);
        double[] cs = test.confidenceSequence(p.srccDifference(), look.information(), test.fixedSampleInformation() / 4);
        return b.setLow(cs[0]).setHigh(cs[1]).setFailAt(look.failAt()).setPassAt(look.passAt()).setEvidence(look.evidence())
                .setOutcome(outcome(look.outcome())).build();
    }

    /**
     * Candidate against stable on a quantile of a cost per video: at most {@code limit} x the stable's (latency,
     * {@code atMost}) or at least (throughput: the stable's model seconds over the candidate's). Off when
     * {@code margin <= 0}.
     */
    private GateValue costRatio(String name, double margin, double limit, double quantile, boolean atMost,
                                VersionStats candidate, VersionStats stable) {
        double[] c = (atMost ? candidate.endToEndSeconds() : candidate.inferenceSeconds()).stream().mapToDouble(Double::doubleValue).toArray();
        double[] s = (atMost ? stable.endToEndSeconds() : stable.inferenceSeconds()).stream().mapToDouble(Double::doubleValue).toArray();
        GateValue.Builder b = GateValue.newBuilder().setName(name).setThreshold(limit).setN(c.length).setLow(Double.NaN)
                .setHigh(Double.NaN).setValue(Double.NaN).setFailAt(limit).setPassAt(limit).setEvidence(Double.NaN)
                .setAlpha(gateAlpha).setBeta(Double.NaN);
        if (margin <= 0) {
            return b.setOutcome(GateOutcome.GATE_OUTCOME_SKIPPED).build();
        }
        if (c.length < MIN_COST_VIDEOS || s.length < MIN_COST_VIDEOS) {
            return b.setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE).build();
        }
        // each version's interval at half the gate's alpha: both hold together with probability 1 - alpha
        double[] ci = nonNegative(QuantileSequence.interval(c, quantile, gateAlpha / 2));
        double[] si = nonNegative(QuantileSequence.interval(s, quantile, gateAlpha / 2));
        double ratio;
        double low;
        double high;
        if (atMost) {
            ratio = ci[0] / si[0];
            low = ci[1] / si[2];
            high = ci[2] / si[1];
        } else {
            ratio = si[0] / ci[0];
            low = si[1] / ci[2];
            high = si[2] / ci[1];
        }
        b.setValue(ratio).setLow(finiteOrNaN(low)).setHigh(finiteOrNaN(high));
        boolean confidentlyWorse = atMost ? low > limit : high < limit;
        boolean pointWithin = atMost ? ratio <= limit : ratio >= limit;
        return b.setOutcome(confidentlyWorse ? GateOutcome.GATE_OUTCOME_FAIL
                : pointWithin ? GateOutcome.GATE_OUTCOME_PASS : GateOutcome.GATE_OUTCOME_INCONCLUSIVE).build();
    }

    /** A gate as one phrase: value, interval, boundaries and error rates. */
    public static String describe(GateValue g) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %.4f", g.getName(), g.getValue()));
        if (!Double.isNaN(g.getLow()) || !Double.isNaN(g.getHigh())) {
            b.append(String.format(Locale.ROOT, " [%.4f, %.4f]", g.getLow(), g.getHigh()));
        }
        if (g.getName().equals("agreement_srcc") || g.getName().equals("paired_srcc_difference")) {
            b.append(String.format(Locale.ROOT, " (rolls back at or below %.4f, passes at or above %.4f, threshold %.4f,"
                    + " n %d, alpha %.4f, beta %.4f)", g.getFailAt(), g.getPassAt(), g.getThreshold(), g.getN(), g.getAlpha(), g.getBeta()));
        } else {
            b.append(String.format(Locale.ROOT, " (threshold %.4f, n %d)", g.getThreshold(), g.getN()));
        }
        return b.toString();
    }

    private static GateOutcome outcome(SequentialTest.Outcome o) {
        return switch (o) {
            case PASS -> GateOutcome.GATE_OUTCOME_PASS;
            case FAIL -> GateOutcome.GATE_OUTCOME_FAIL;
            case CONTINUE -> GateOutcome.GATE_OUTCOME_INCONCLUSIVE;
        };
    }

    /** Seconds are never negative: an interval's open lower end is 0. */
    private static double[] nonNegative(double[] interval) {
        return new double[] {interval[0], Math.max(0, interval[1]), interval[2]};
    }

    private static double finiteOrNaN(double x) {
        return Double.isFinite(x) ? x : Double.NaN;
    }
}
