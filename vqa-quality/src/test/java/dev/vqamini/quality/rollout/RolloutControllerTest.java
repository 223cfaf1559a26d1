package dev.vqamini.quality.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.PairedScores;
import dev.vqamini.quality.PairedVideo;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.GateOutcome;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The controller's rules on simulated evidence, applied to a rollout the way RolloutWriter applies them. */
class RolloutControllerTest {

    static final String MODEL = "dover-mobile";
    static final String STABLE = "v1";
    static final String CANDIDATE = "v2";
    /** Label-free and cost-free: agreement decides alone. */
    static final RolloutGates AGREEMENT_ONLY = RolloutPlans.DEFAULT_GATES.toBuilder().setMaxSrccDrop(0)
            .setMaxP99LatencyIncrease(0).setMaxThroughputDecrease(0).build();

    /** A rollout kept in memory: each edit applied, validated and given the next revision, as RolloutWriter does. */
    static final class Rollouts {
        Rollout current;

        Rollouts() {
            current = apply(RolloutEdits.promote(STABLE));
        }

        Rollout apply(RolloutEdits.Edit edit) {
            Rollout next = edit.apply(MODEL, Optional.ofNullable(current)).toBuilder().setModelName(MODEL)
                    .setRevision(current == null ? 1 : current.getRevision() + 1).build();
            RolloutEdits.validate(next, Set.of(STABLE, CANDIDATE));
            current = next;
            return next;
        }
    }

    /**
     * Walks a plan: one new shadow-paired video per simulated second (candidate score = {@code candidateOf} the
     * stable's), the controller asked after each with the plan's pairs, its edits applied. Returns every decision
     * that was not a hold.
     */
    private static List<RolloutDecision> walk(Rollouts rollouts, DoubleUnaryOperator candidateOf, long seed, int maxVideos) {
        SplittableRandom random = new SplittableRandom(seed);
        PairWindow pairs = PairWindow.empty();
        List<RolloutDecision> decisions = new ArrayList<>();
        long now = rollouts.current.getPlan().getStepStartedAtMs();
        for (int i = 0; i < maxVideos && rollouts.current.getPlan().getState() == PlanState.PLAN_STATE_ACTIVE; i++) {
            now += 1000;
            double stable = random.nextDouble();
            pairs = pairs.with(new PairedVideo("video-" + i, STABLE, stable, CANDIDATE, candidateOf.applyAsDouble(stable), null, now), 500);
            long stepStart = rollouts.current.getPlan().getStepStartedAtMs();
            RolloutEvidence evidence = RolloutEvidence.paired(pairs.since(rollouts.current.getPlan().getPlanStartedAtMs())
                            .scores(STABLE, CANDIDATE), pairs.since(stepStart).scores(STABLE, CANDIDATE).n(), (now - stepStart) / 1000);
            Optional<RolloutController.Decision> d = RolloutController.decide(rollouts.current, evidence, now);
            assertTrue(d.isPresent(), "an active plan always gets a decision");
            d.get().edit().ifPresent(rollouts::apply);
            if (d.get().action() != RolloutAction.ROLLOUT_ACTION_HOLD) {
                decisions.add(d.get().record());
                System.out.printf("video %d: %s at step %d (weight %.2f): %s%n", i, d.get().action(), d.get().record().getStep(),
                        d.get().record().getTrafficWeight(), d.get().record().getReason());
            }
        }
        return decisions;
    }

    @Test
    void aCandidateEqualToStableIsPromotedThroughEveryStepWithoutLabels() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 0.25, 0.5, 1.0), 20, 10, AGREEMENT_ONLY, 0.2, 0));
        List<RolloutDecision> decisions = walk(rollouts, x -> x, 1, 1000);

        assertEquals(List.of(RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutAction.ROLLOUT_ACTION_STEP_UP,
                RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutAction.ROLLOUT_ACTION_PROMOTE), decisions.stream().map(RolloutDecision::getAction).toList());
        assertEquals(List.of(0, 1, 2, 3), decisions.stream().map(RolloutDecision::getStep).toList());
        for (RolloutDecision d : decisions) {
            assertEquals(20, d.getStepPairs(), "each step passed on its own minimum of paired videos");
            assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(d, "agreement_srcc").getOutcome());
            assertEquals(GateOutcome.GATE_OUTCOME_SKIPPED, gate(d, "paired_srcc_difference").getOutcome(), "no labels at all");
        }
        assertEquals(80, decisions.get(3).getPlanPairs(), "the evidence carried across the steps");
        assertEquals(CANDIDATE, rollouts.current.getStableVersion());
        assertEquals(STABLE, rollouts.current.getPreviousStableVersion());
        assertEquals(0, rollouts.current.getCandidatesCount());
        assertEquals(PlanState.PLAN_STATE_PROMOTED, rollouts.current.getPlan().getState());
        assertEquals("", rollouts.current.getShadowVersion(), "shadowing ends with the plan");
    }

    @Test
    void aScrambledCandidateIsRolledBackAtItsFirstStepWithinItsMinimumVideos() {
        Rollouts rollouts = new Rollouts();
        int minVideos = 30;
        // step 0 is shadow only: the stable version serves every video while the candidate is judged
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.0, 0.05, 0.25, 0.5, 1.0), minVideos, 60, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        assertEquals(List.of(STABLE), RolloutEdits.versions(rollouts.current));
        SplittableRandom scramble = new SplittableRandom(99);
        List<RolloutDecision> decisions = walk(rollouts, x -> scramble.nextDouble(), 2, 1000);

        assertEquals(1, decisions.size());
        RolloutDecision d = decisions.get(0);
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.getAction());
        assertEquals(0, d.getStep());
        assertTrue(d.getStepPairs() <= minVideos, "rolled back within the step's minimum: " + d.getStepPairs());
        GateValue agreement = gate(d, "agreement_srcc");
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, agreement.getOutcome());
        assertTrue(agreement.getValue() <= agreement.getFailAt(), "failed by crossing its boundary: " + agreement);
        assertTrue(agreement.getEvidence() >= 1 / agreement.getAlpha(), "evidence at least 1 / alpha: " + agreement);
        assertEquals(List.of(STABLE), RolloutEdits.versions(rollouts.current), "the stable version served every video throughout");
        assertEquals(PlanState.PLAN_STATE_ROLLED_BACK, rollouts.current.getPlan().getState());
        assertEquals("", rollouts.current.getShadowVersion());
    }

    @Test
    void aNearEqualCandidateWithSmallMinimumsKeepsGatheringEvidenceAndIsPromotedWithoutAnOperator() {
        // the plan a new user tried: 6 videos and 10 s a step; it used to pause at 6 pairs, "inconclusive"
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.1, 0.5, 1.0), 6, 10, AGREEMENT_ONLY, 0.2, 0));
        SplittableRandom noise = new SplittableRandom(5);
        List<RolloutDecision> decisions = walk(rollouts, x -> x + 1e-6 * noise.nextGaussian(), 3, 1000);

        assertEquals(List.of(RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutAction.ROLLOUT_ACTION_STEP_UP,
                RolloutAction.ROLLOUT_ACTION_PROMOTE), decisions.stream().map(RolloutDecision::getAction).toList());
        assertTrue(decisions.get(0).getStepPairs() > 6, "held past the step's minimum until the evidence sufficed: "
                + decisions.get(0).getStepPairs());
    }

    @Test
    void aCandidateBetweenTheHypothesesHoldsUntilThePlansMaximumThenPauses() {
        Rollouts rollouts = new Rollouts();
        RolloutGates gates = AGREEMENT_ONLY.toBuilder().setMaxVideos(40).build();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 6, 0, gates, 0.2, 0));
        PairedScores at875 = bivariate(0.875, 40, 7);
        RolloutController.Decision hold = RolloutController.decide(rollouts.current,
                RolloutEvidence.paired(prefix(at875, 30), 30, 100), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, hold.action(), hold.record().getReason());
        assertTrue(hold.record().getReason().contains("gathering evidence (30 of at most 40"), hold.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_INCONCLUSIVE, gate(hold.record(), "agreement_srcc").getOutcome());

        RolloutController.Decision pause = RolloutController.decide(rollouts.current,
                RolloutEvidence.paired(at875, 40, 100), 2000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_PAUSE, pause.action(), pause.record().getReason());
        rollouts.apply(pause.edit().orElseThrow());
        assertEquals(PlanState.PLAN_STATE_PAUSED, rollouts.current.getPlan().getState());
        assertEquals(0.05, RolloutPlans.weightOf(rollouts.current, CANDIDATE), 0, "a pause keeps the traffic as it is");
        assertTrue(RolloutController.decide(rollouts.current, RolloutEvidence.paired(at875, 40, 100), 3000).isEmpty(),
                "a paused plan is left alone");

        // a resume keeps the evidence and allows another maximum
        rollouts.apply(RolloutPlans.resume(CANDIDATE, 4000));
        RolloutController.Decision afterResume = RolloutController.decide(rollouts.current,
                RolloutEvidence.paired(at875, 0, 0), 5000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, afterResume.action(), afterResume.record().getReason());
        assertEquals(80, afterResume.record().getMaxVideos());
    }

    @Test
    void realTrafficWaitsForCostFiguresAndAShadowOnlyStepDoesNot() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.0, 0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        PairedScores equal = bivariate(1.0, 60, 3);
        RolloutController.Decision up = RolloutController.decide(rollouts.current, RolloutEvidence.paired(equal, 60, 100), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, up.action(), up.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_SKIPPED, gate(up.record(), "p50_latency_ratio").getOutcome());
        rollouts.apply(up.edit().orElseThrow());
        RolloutController.Decision atFive = RolloutController.decide(rollouts.current, RolloutEvidence.paired(equal, 60, 100), 2000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, atFive.action(), "real traffic: its cost must be measured first");
        assertEquals(GateOutcome.GATE_OUTCOME_INCONCLUSIVE, gate(atFive.record(), "p50_latency_ratio").getOutcome());

        RolloutController.Decision measured = RolloutController.decide(rollouts.current, new RolloutEvidence(equal, 60, 100,
                costs(30, 2.0, 0.5, 11), costs(300, 2.0, 0.5, 12), 0), 3000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, measured.action(), measured.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(measured.record(), "p50_latency_ratio").getOutcome());
        assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(measured.record(), "throughput_ratio").getOutcome());
    }

    @Test
    void aPairedSrccDropAgainstMosRollsBackThoughTheVersionsAgree() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0,
                RolloutPlans.DEFAULT_GATES.toBuilder().setMinAgreementSrcc(0.8).build(), 0.2, 0));
        // MOS; the stable version tracks it closely, the candidate tracks the stable version less closely
        SplittableRandom random = new SplittableRandom(17);
        int n = 300;
        double[] mos = new double[n];
        double[] stable = new double[n];
        double[] candidate = new double[n];
        for (int i = 0; i < n; i++) {
            mos[i] = random.nextGaussian();
            stable[i] = mos[i] + 0.15 * random.nextGaussian();
            candidate[i] = stable[i] + 0.35 * random.nextGaussian();
        }
        RolloutController.Decision d = RolloutController.decide(rollouts.current, new RolloutEvidence(
                new PairedScores(stable, candidate, mos), n, 100, costs(30, 2, 0.5, 1), costs(30, 2, 0.5, 2), 0), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.action(), d.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(d.record(), "agreement_srcc").getOutcome(), d.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d.record(), "paired_srcc_difference").getOutcome());
    }

    @Test
    void aSlowCandidateFailsItsLatencyGateOnlyWhenTheIntervalsSaySo() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        PairedScores equal = bivariate(1.0, 60, 4);
        RolloutController.Decision slow = RolloutController.decide(rollouts.current, new RolloutEvidence(equal, 60, 100,
                costs(200, 4.0, 0.5, 5), costs(400, 2.0, 0.5, 6), 0), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, slow.action(), slow.record().getReason());
        GateValue latency = gate(slow.record(), "p50_latency_ratio");
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, latency.getOutcome());
        assertTrue(latency.getLow() > 1.5, "the whole interval above the limit: " + latency);

        // a few videos of a slower candidate: over the limit on the point ratio, but not confidently: hold
        RolloutController.Decision few = RolloutController.decide(rollouts.current, new RolloutEvidence(equal, 60, 100,
                costs(6, 3.4, 0.5, 7), costs(400, 2.0, 0.5, 8), 0), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, few.action(), few.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_INCONCLUSIVE, gate(few.record(), "p50_latency_ratio").getOutcome());
    }

    @Test
    void aCandidateAScorerRefusedIsRolledBack() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        RolloutController.Decision d = RolloutController.decide(rollouts.current, new RolloutEvidence(bivariate(1.0, 60, 9),
                60, 100, costs(30, 2, 0.5, 1), costs(30, 2, 0.5, 2), 1), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.action());
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d.record(), "refusals").getOutcome());
    }

    @Test
    void theAlphaIsSplitOverTheGatesInForce() {
        assertEquals(0.05, new RolloutGateJudge(RolloutPlans.withDefaults(AGREEMENT_ONLY)).gateAlpha(), 1e-12);
        assertEquals(0.05 / 4, new RolloutGateJudge(RolloutPlans.withDefaults(RolloutPlans.DEFAULT_GATES)).gateAlpha(), 1e-12);
    }

    @Test
    void aManualEditWinsAndTheControllerStandsDownUntilResumed() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 0.5, 1.0), 20, 0, AGREEMENT_ONLY, 0.2, 0));
        rollouts.apply(RolloutEdits.canary(CANDIDATE, 0.3)); // an operator's hand edit
        RolloutEvidence good = RolloutEvidence.paired(bivariate(1.0, 60, 10), 60, 100);
        RolloutController.Decision d = RolloutController.decide(rollouts.current, good, 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_STAND_DOWN, d.action(), d.record().getReason());
        assertTrue(d.edit().isEmpty(), "the controller writes nothing over a hand edit");

        rollouts.apply(RolloutPlans.resume(CANDIDATE, 2000));
        assertEquals(0.05, RolloutPlans.weightOf(rollouts.current, CANDIDATE), 0, "resume puts the step's weight back");
        assertEquals(2000, rollouts.current.getPlan().getStepStartedAtMs(), "and starts the step's clock again");
        assertEquals(0, rollouts.current.getPlan().getPlanStartedAtMs(), "but keeps the plan's evidence");
        assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutController.decide(rollouts.current, good, 3000).orElseThrow().action());

        rollouts.apply(RolloutPlans.abort(CANDIDATE, "aborted by an operator"));
        assertEquals(List.of(STABLE), RolloutEdits.versions(rollouts.current));
        assertEquals(PlanState.PLAN_STATE_ABORTED, rollouts.current.getPlan().getState());
        assertTrue(RolloutController.decide(rollouts.current, good, 4000).isEmpty());
    }

    @Test
    void theControllersEditIsRefusedWhenTheRolloutMovedMeanwhile() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 0, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        long decidedOn = rollouts.current.getRevision();
        rollouts.apply(RolloutPlans.pause(CANDIDATE, "paused by an operator"));
        try {
            rollouts.apply(RolloutPlans.atRevision(decidedOn, RolloutPlans.stepUp(CANDIDATE, 1000, "gates passed")));
            throw new AssertionError("applied over a newer revision");
        } catch (IllegalStateException expected) {
            assertEquals(PlanState.PLAN_STATE_PAUSED, rollouts.current.getPlan().getState());
        }
    }

    @Test
    void plansWithErrorRatesOrMarginsThatMakeNoSenseAreRefused() {
        Rollouts rollouts = new Rollouts();
        for (RolloutGates bad : List.of(AGREEMENT_ONLY.toBuilder().setAlpha(0.6).build(),
                AGREEMENT_ONLY.toBuilder().setBeta(-0.1).build(),
                AGREEMENT_ONLY.toBuilder().setIndifference(-0.05).build(),
                AGREEMENT_ONLY.toBuilder().setMinAgreementSrcc(1.0).build(),
                AGREEMENT_ONLY.toBuilder().setMaxVideos(-1).build())) {
            try {
                rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 6, 0, bad, 0.2, 0));
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("--"), expected.getMessage());
            }
        }
    }

    /** n pairs of bivariate normal scores with population Spearman correlation {@code a} (no labels). */
    static PairedScores bivariate(double a, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double r = 2 * Math.sin(Math.PI * a / 6);
        double[] s = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextGaussian();
            c[i] = r * s[i] + Math.sqrt(Math.max(0, 1 - r * r)) * random.nextGaussian();
        }
        double[] mos = new double[n];
        Arrays.fill(mos, Double.NaN);
        return new PairedScores(s, c, mos);
    }

    private static PairedScores prefix(PairedScores p, int n) {
        return new PairedScores(Arrays.copyOf(p.stable(), n), Arrays.copyOf(p.candidate(), n), Arrays.copyOf(p.mos(), n));
    }

    /** A version's cost: {@code videos} scores with end-to-end seconds around {@code e2eS}, model seconds around {@code modelS}. */
    private static VersionStats costs(int videos, double e2eS, double modelS, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        VersionStats s = VersionStats.empty();
        for (int i = 0; i < videos; i++) {
            s = s.with(VideoScoreRecord.newBuilder().setClips(4).setEndToEndMs(1000 * e2eS * (1 + 0.1 * random.nextDouble()))
                    .setInferenceMs(1000 * modelS * (1 + 0.1 * random.nextDouble())).build(), 1000L * i);
        }
        return s;
    }

    static GateValue gate(RolloutDecision d, String name) {
        return d.getGatesList().stream().filter(g -> g.getName().equals(name)).findFirst().orElseThrow();
    }
}
