package dev.vqamini.quality.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.PairedVideo;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.stats.CorrelationInterval;
import dev.vqamini.stats.PairedAgreement;
import dev.vqamini.wire.proto.GateOutcome;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutGates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The controller's decisions on simulated evidence, applied to a rollout the way RolloutWriter applies them. */
class RolloutControllerTest {

    static final String MODEL = "dover-mobile";
    static final String STABLE = "v1";
    static final String CANDIDATE = "v2";

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
     * stable's), the controller asked after each, its edits applied. Returns every decision that was not a hold.
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
            RolloutPlanView plan = new RolloutPlanView(rollouts.current);
            RolloutEvidence evidence = new RolloutEvidence(pairs.since(plan.stepStart).agreement(STABLE, CANDIDATE),
                    (now - plan.stepStart) / 1000, 10, 2.0, 2.0, 30.0, 30.0);
            Optional<RolloutController.Decision> d = RolloutController.decide(rollouts.current, evidence, now);
            assertTrue(d.isPresent(), "an active plan always gets a decision");
            d.get().edit().ifPresent(rollouts::apply);
            if (d.get().action() != RolloutAction.ROLLOUT_ACTION_HOLD) {
                decisions.add(d.get().record());
                System.out.printf("video %d: %s at step %d (weight %.2f): %s | %s%n", i, d.get().action(), d.get().record().getStep(),
                        d.get().record().getTrafficWeight(), d.get().record().getReason(), gates(d.get().record()));
            }
        }
        return decisions;
    }

    private record RolloutPlanView(long stepStart) {
        RolloutPlanView(Rollout r) {
            this(r.getPlan().getStepStartedAtMs());
        }
    }

    @Test
    void aCandidateEqualToStableIsPromotedThroughEveryStepWithoutLabels() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 0.25, 0.5, 1.0), 20, 10, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        List<RolloutDecision> decisions = walk(rollouts, x -> x, 1, 1000);

        assertEquals(List.of(RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutAction.ROLLOUT_ACTION_STEP_UP,
                RolloutAction.ROLLOUT_ACTION_STEP_UP, RolloutAction.ROLLOUT_ACTION_PROMOTE), decisions.stream().map(RolloutDecision::getAction).toList());
        assertEquals(List.of(0, 1, 2, 3), decisions.stream().map(RolloutDecision::getStep).toList());
        for (RolloutDecision d : decisions) {
            assertEquals(20, d.getStepPairs(), "each step decided on its own minimum of paired videos");
            assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(d, "agreement_srcc").getOutcome());
            assertEquals(GateOutcome.GATE_OUTCOME_SKIPPED, gate(d, "paired_srcc_difference").getOutcome(), "no labels at all");
        }
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
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d, "agreement_srcc").getOutcome());
        assertEquals(List.of(STABLE), RolloutEdits.versions(rollouts.current), "the stable version served every video throughout");
        assertEquals(PlanState.PLAN_STATE_ROLLED_BACK, rollouts.current.getPlan().getState());
        assertEquals("", rollouts.current.getShadowVersion());
        System.out.printf("scrambled candidate rolled back after %d paired videos (minimum %d), agreement SRCC %.4f%n",
                d.getStepPairs(), minVideos, gate(d, "agreement_srcc").getValue());
    }

    @Test
    void insufficientEvidenceHoldsThenPausesNeverGuesses() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 0.5, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        // agreement 0.85 below the 0.9 threshold, but its interval reaches above it: not confidently bad
        RolloutEvidence tenPairs = RolloutEvidence.paired(agreement(10, 0.85, new CorrelationInterval(0.45, 0.96)), 100);
        RolloutController.Decision hold = RolloutController.decide(rollouts.current, tenPairs, 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_HOLD, hold.action(), hold.record().getReason());
        assertTrue(hold.edit().isEmpty());

        RolloutEvidence twentyPairs = new RolloutEvidence(agreement(20, 0.85, new CorrelationInterval(0.64, 0.94)), 100, 10,
                2.0, 2.0, 30.0, 30.0);
        RolloutController.Decision pause = RolloutController.decide(rollouts.current, twentyPairs, 2000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_PAUSE, pause.action(), pause.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_INCONCLUSIVE, gate(pause.record(), "agreement_srcc").getOutcome());
        rollouts.apply(pause.edit().orElseThrow());
        assertEquals(PlanState.PLAN_STATE_PAUSED, rollouts.current.getPlan().getState());
        assertEquals(0.05, RolloutPlans.weightOf(rollouts.current, CANDIDATE), 0, "a pause keeps the traffic as it is");
        assertTrue(RolloutController.decide(rollouts.current, twentyPairs, 3000).isEmpty(), "a paused plan is left alone");

        // no cost statistics yet (too few real candidate videos): paused too, not passed
        rollouts.apply(RolloutPlans.resume(CANDIDATE, 4000));
        RolloutEvidence noCost = RolloutEvidence.paired(agreement(20, 0.99, new CorrelationInterval(0.97, 0.996)), 100);
        RolloutController.Decision noCostDecision = RolloutController.decide(rollouts.current, noCost, 5000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_PAUSE, noCostDecision.action(), noCostDecision.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_INCONCLUSIVE, gate(noCostDecision.record(), "p99_latency_ratio").getOutcome());
    }

    @Test
    void aPairedSrccDropAgainstMosRollsBackThoughTheVersionsAgree() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        PairedAgreement labelled = new PairedAgreement(60, 0.95, new CorrelationInterval(0.92, 0.97), 0.95, 0.02, 0.1, 0.0,
                40, 0.89, 0.80, -0.09, new CorrelationInterval(-0.15, -0.04));
        RolloutController.Decision d = RolloutController.decide(rollouts.current,
                new RolloutEvidence(labelled, 100, 10, 2.0, 2.0, 30.0, 30.0), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.action(), d.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_PASS, gate(d.record(), "agreement_srcc").getOutcome());
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d.record(), "paired_srcc_difference").getOutcome());
    }

    @Test
    void aSlowCandidateFailsItsLatencyGate() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        RolloutController.Decision d = RolloutController.decide(rollouts.current, new RolloutEvidence(
                agreement(20, 1.0, new CorrelationInterval(0.99, 1.0)), 100, 10, 4.0, 2.0, 30.0, 30.0), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.action());
        assertEquals(2.0, gate(d.record(), "p99_latency_ratio").getValue(), 1e-12);
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d.record(), "p99_latency_ratio").getOutcome());
    }

    @Test
    void aShadowOnlyStepIsPassedOnAgreementAloneTheCostGatesWaitForRealTraffic() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.0, 0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        RolloutEvidence noCost = RolloutEvidence.paired(agreement(20, 1.0, new CorrelationInterval(0.99, 1.0)), 100);
        RolloutController.Decision up = RolloutController.decide(rollouts.current, noCost, 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_STEP_UP, up.action(), up.record().getReason());
        assertEquals(GateOutcome.GATE_OUTCOME_SKIPPED, gate(up.record(), "p99_latency_ratio").getOutcome());
        rollouts.apply(up.edit().orElseThrow());
        assertEquals(0.05, RolloutPlans.weightOf(rollouts.current, CANDIDATE), 0);
        RolloutController.Decision atFive = RolloutController.decide(rollouts.current, noCost, 2000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_PAUSE, atFive.action(), "real traffic: its cost must be measured first");
    }

    @Test
    void aCandidateAScorerRefusedIsRolledBack() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        RolloutController.Decision d = RolloutController.decide(rollouts.current, new RolloutEvidence(
                agreement(20, 1.0, new CorrelationInterval(0.99, 1.0)), 100, 10, 2.0, 2.0, 30.0, 30.0, 1), 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_ROLL_BACK, d.action());
        assertEquals(GateOutcome.GATE_OUTCOME_FAIL, gate(d.record(), "refusals").getOutcome());
    }

    @Test
    void aManualEditWinsAndTheControllerStandsDownUntilResumed() {
        Rollouts rollouts = new Rollouts();
        rollouts.apply(RolloutPlans.plan(CANDIDATE, List.of(0.05, 0.5, 1.0), 20, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        rollouts.apply(RolloutEdits.canary(CANDIDATE, 0.3)); // an operator's hand edit
        RolloutEvidence good = new RolloutEvidence(agreement(20, 1.0, new CorrelationInterval(0.99, 1.0)), 100, 10, 2.0, 2.0, 30.0, 30.0);
        RolloutController.Decision d = RolloutController.decide(rollouts.current, good, 1000).orElseThrow();
        assertEquals(RolloutAction.ROLLOUT_ACTION_STAND_DOWN, d.action(), d.record().getReason());
        assertTrue(d.edit().isEmpty(), "the controller writes nothing over a hand edit");

        rollouts.apply(RolloutPlans.resume(CANDIDATE, 2000));
        assertEquals(0.05, RolloutPlans.weightOf(rollouts.current, CANDIDATE), 0, "resume puts the step's weight back");
        assertEquals(2000, rollouts.current.getPlan().getStepStartedAtMs(), "and starts the step's clock again");
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

    private static PairedAgreement agreement(int n, double srcc, CorrelationInterval ci) {
        return new PairedAgreement(n, srcc, ci, srcc, 0.01, 0.05, 0.0, 0, Double.NaN, Double.NaN, Double.NaN,
                CorrelationInterval.UNKNOWN);
    }

    static GateValue gate(RolloutDecision d, String name) {
        return d.getGatesList().stream().filter(g -> g.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String gates(RolloutDecision d) {
        StringBuilder b = new StringBuilder();
        for (GateValue g : d.getGatesList()) {
            b.append(String.format("%s=%.4f %s (n %d) ", g.getName(), g.getValue(),
                    g.getOutcome().name().substring("GATE_OUTCOME_".length()), g.getN()));
        }
        return b.toString().trim();
    }
}
