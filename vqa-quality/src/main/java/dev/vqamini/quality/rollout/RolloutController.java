package dev.vqamini.quality.rollout;

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
import dev.vqamini.wire.proto.RolloutPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a planned rollout does next from its evidence; pure (no Kafka, no clock of its own), so every
 * decision can be replayed in a test. The rules, in order:
 * <ol>
 *   <li>no active plan: nothing to decide;</li>
 *   <li>the candidate's weight is not its step's: someone edited the rollout by hand, which wins: stand down;</li>
 *   <li>a gate failed (with confidence where it is a statistic): roll back at once, whatever the step's minimum;</li>
 *   <li>the step's minimum videos or time not reached: hold;</li>
 *   <li>a gate is still inconclusive: pause for an operator (never guess);</li>
 *   <li>every gate passed: step up, or promote after the last step.</li>
 * </ol>
 * Gates: label-free agreement (SRCC of candidate against stable on the same videos), the paired SRCC difference
 * against MOS (skipped without enough labels), the cost gates (p99 end-to-end latency, clips per second of
 * model time; a margin of 0 or less turns a cost gate off), and no scorer refusing the candidate.
 */
public final class RolloutController {

    /** Below this many real candidate videos its latency and throughput are not judged. */
    static final int MIN_COST_VIDEOS = 5;

    /**
     * A decision and the edit that carries it out (empty for hold, stand-down and no-decision).
     *
     * @param record what goes to vqa.rollout-decisions (its revisions and time filled by the caller)
     */
    public record Decision(RolloutDecision record, Optional<RolloutEdits.Edit> edit) {
        public RolloutAction action() {
            return record.getAction();
        }
    }

    private RolloutController() {
    }

    /** The decision for {@code rollout}'s plan now; empty when it has no active plan. */
    public static Optional<Decision> decide(Rollout rollout, RolloutEvidence evidence, long nowMs) {
        if (!rollout.hasPlan() || rollout.getPlan().getState() != PlanState.PLAN_STATE_ACTIVE) {
            return Optional.empty();
        }
        RolloutPlan plan = rollout.getPlan();
        String version = plan.getCandidateVersion();
        RolloutDecision.Builder d = RolloutDecision.newBuilder().setModelName(rollout.getModelName())
                .setCandidateVersion(version).setStableVersion(rollout.getStableVersion()).setStep(plan.getCurrentStep())
                .setTrafficWeight(RolloutPlans.weightOf(rollout, version)).setDecidedAtMs(nowMs)
                .setRolloutRevision(rollout.getRevision()).setWrittenRevision(rollout.getRevision())
                .setStepPairs(evidence.paired().n()).setStepSeconds(evidence.stepSeconds());
        if (!RolloutPlans.onPlan(rollout)) {
            double wanted = plan.getCurrentStep() < plan.getStepsCount() ? plan.getSteps(plan.getCurrentStep()) : Double.NaN;
            return Optional.of(new Decision(d.setAction(RolloutAction.ROLLOUT_ACTION_STAND_DOWN)
                    .setReason(String.format("rollout edited by hand: %s has weight %.4f, step %d of the plan wants %.4f;"
                                    + " the controller leaves it to the operator (vqa rollout resume %s to hand it back)",
                            version, RolloutPlans.weightOf(rollout, version), plan.getCurrentStep(), wanted, version)).build(),
                    Optional.empty()));
        }
        List<GateValue> gates = gates(plan.getGates(), evidence, plan.getSteps(plan.getCurrentStep()) > 0);
        d.addAllGates(gates);
        List<String> failed = names(gates, GateOutcome.GATE_OUTCOME_FAIL);
        List<String> open = names(gates, GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        boolean last = plan.getCurrentStep() == plan.getStepsCount() - 1;
        if (!failed.isEmpty()) {
            String reason = "gate failed: " + String.join(", ", failed) + "; " + version + " taken out of traffic";
            return decision(d, RolloutAction.ROLLOUT_ACTION_ROLL_BACK, reason, RolloutPlans.rollBack(version, reason));
        }
        if (evidence.paired().n() < plan.getMinVideos() || evidence.stepSeconds() < plan.getMinSeconds()) {
            return Optional.of(new Decision(d.setAction(RolloutAction.ROLLOUT_ACTION_HOLD).setReason(String.format(
                    "step %d: %d of %d paired videos, %d of %d s", plan.getCurrentStep(), evidence.paired().n(),
                    plan.getMinVideos(), evidence.stepSeconds(), plan.getMinSeconds())).build(), Optional.empty()));
        }
        if (!open.isEmpty()) {
            String reason = "step " + plan.getCurrentStep() + " reached its minimum but evidence is insufficient for: "
                    + String.join(", ", open) + "; paused for an operator (vqa rollout resume " + version + ")";
            return decision(d, RolloutAction.ROLLOUT_ACTION_PAUSE, reason,
                    (model, current) -> {
                        Rollout r = current.orElseThrow();
                        return r.toBuilder().setPlan(r.getPlan().toBuilder().setState(PlanState.PLAN_STATE_PAUSED)
                                .setReason(reason)).build();
                    });
        }
        if (last) {
            String reason = "every gate passed at the last step: " + version + " promoted to stable";
            return decision(d, RolloutAction.ROLLOUT_ACTION_PROMOTE, reason, RolloutPlans.promote(version, reason));
        }
        String reason = String.format("every gate passed at step %d: %s to %.4f", plan.getCurrentStep(), version,
                plan.getSteps(plan.getCurrentStep() + 1));
        return decision(d, RolloutAction.ROLLOUT_ACTION_STEP_UP, reason, RolloutPlans.stepUp(version, nowMs, reason));
    }

    private static Optional<Decision> decision(RolloutDecision.Builder d, RolloutAction action, String reason,
                                               RolloutEdits.Edit edit) {
        return Optional.of(new Decision(d.setAction(action).setReason(reason).build(), Optional.of(edit)));
    }

    /** Every gate of the plan judged on the evidence, in a fixed order. */
    static List<GateValue> gates(RolloutGates g, RolloutEvidence e, boolean servesTraffic) {
        List<GateValue> out = new ArrayList<>();
        PairedAgreement p = e.paired();
        // Label-free agreement: fail only when confidently below (the interval's top under the threshold).
        GateValue.Builder agreement = gate("agreement_srcc", g.getMinAgreementSrcc(), p.agreementSrcc(), p.agreementSrccCi(), p.n());
        if (p.n() < Math.max(g.getMinPairs(), PairedAgreement.MIN_VIDEOS) || Double.isNaN(p.agreementSrcc())) {
            agreement.setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        } else if (p.agreementSrcc() >= g.getMinAgreementSrcc()) {
            agreement.setOutcome(GateOutcome.GATE_OUTCOME_PASS);
        } else if (p.agreementSrccCi().known() && p.agreementSrccCi().high() < g.getMinAgreementSrcc()) {
            agreement.setOutcome(GateOutcome.GATE_OUTCOME_FAIL);
        } else {
            agreement.setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        }
        out.add(agreement.build());
        // Paired SRCC difference against MOS: not worse than -max_srcc_drop with 95 % confidence.
        GateValue.Builder drop = gate("paired_srcc_difference", -g.getMaxSrccDrop(), p.srccDifference(),
                p.srccDifferenceCi(), p.labelled());
        if (p.labelled() < Math.max(g.getMinLabelledPairs(), PairedAgreement.MIN_VIDEOS)) {
            drop.setOutcome(GateOutcome.GATE_OUTCOME_SKIPPED); // no labels (yet): agreement decides alone
        } else if (!p.srccDifferenceCi().known()) {
            drop.setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        } else if (p.srccDifferenceCi().low() >= -g.getMaxSrccDrop()) {
            drop.setOutcome(GateOutcome.GATE_OUTCOME_PASS);
        } else if (p.srccDifferenceCi().high() < -g.getMaxSrccDrop()) {
            drop.setOutcome(GateOutcome.GATE_OUTCOME_FAIL);
        } else {
            drop.setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        }
        out.add(drop.build());
        // A shadow-only step (weight 0) serves no video: the cost of real traffic is judged from the first real step.
        out.add(ratio("p99_latency_ratio", servesTraffic ? g.getMaxP99LatencyIncrease() : 0, 1 + g.getMaxP99LatencyIncrease(), true,
                e.candidateP99E2eS(), e.stableP99E2eS(), e.candidateVideos()));
        out.add(ratio("throughput_ratio", servesTraffic ? g.getMaxThroughputDecrease() : 0, 1 - g.getMaxThroughputDecrease(), false,
                e.candidateClipsPerInferenceS(), e.stableClipsPerInferenceS(), e.candidateVideos()));
        // A scorer that refused the candidate (checksum, signature, graph, probe) cannot serve it: zero allowed.
        out.add(GateValue.newBuilder().setName("refusals").setValue(e.candidateRefusals()).setThreshold(0).setLow(Double.NaN)
                .setHigh(Double.NaN).setN((int) Math.min(e.candidateRefusals(), Integer.MAX_VALUE))
                .setOutcome(e.candidateRefusals() == 0 ? GateOutcome.GATE_OUTCOME_PASS : GateOutcome.GATE_OUTCOME_FAIL).build());
        return out;
    }

    /** Candidate over stable, at most (or at least) {@code limit}; off when {@code margin <= 0}. */
    private static GateValue ratio(String name, double margin, double limit, boolean atMost, Double candidate,
                                   Double stable, long videos) {
        GateValue.Builder b = GateValue.newBuilder().setName(name).setThreshold(limit).setN((int) Math.min(videos, Integer.MAX_VALUE))
                .setLow(Double.NaN).setHigh(Double.NaN);
        if (margin <= 0) {
            return b.setValue(Double.NaN).setOutcome(GateOutcome.GATE_OUTCOME_SKIPPED).build();
        }
        if (candidate == null || stable == null || stable <= 0 || videos < MIN_COST_VIDEOS) {
            return b.setValue(Double.NaN).setOutcome(GateOutcome.GATE_OUTCOME_INCONCLUSIVE).build();
        }
        double r = candidate / stable;
        boolean ok = atMost ? r <= limit : r >= limit;
        return b.setValue(r).setOutcome(ok ? GateOutcome.GATE_OUTCOME_PASS : GateOutcome.GATE_OUTCOME_FAIL).build();
    }

    private static GateValue.Builder gate(String name, double threshold, double value, CorrelationInterval ci, int n) {
        return GateValue.newBuilder().setName(name).setThreshold(threshold).setValue(value)
                .setLow(ci.known() ? ci.low() : Double.NaN).setHigh(ci.known() ? ci.high() : Double.NaN).setN(n);
    }

    private static List<String> names(List<GateValue> gates, GateOutcome outcome) {
        return gates.stream().filter(g -> g.getOutcome() == outcome)
                .map(g -> String.format("%s %.4f (threshold %.4f, n %d)", g.getName(), g.getValue(), g.getThreshold(), g.getN()))
                .toList();
    }
}
