package dev.vqamini.quality.rollout;

import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.GateOutcome;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutPlan;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a planned rollout does next from its evidence; pure (no Kafka, no clock of its own), so every
 * decision can be replayed in a test or a simulation ({@link RolloutSimulator}). The rules, in order:
 * <ol>
 *   <li>no active plan: nothing to decide;</li>
 *   <li>the candidate's weight is not its step's: someone edited the rollout by hand, which wins: stand down;</li>
 *   <li>a gate failed: roll back at once, whatever the step's minimum;</li>
 *   <li>every gate passed (or does not apply) and the step has had its minimum videos and time: step up, or
 *       promote after the last step;</li>
 *   <li>some gate is still undecided after the plan's maximum of paired videos: pause for an operator;</li>
 *   <li>otherwise hold and gather more evidence.</li>
 * </ol>
 * The gates are sequential ({@link RolloutGateJudge}): their error rates hold over the whole plan although the
 * controller looks after every paired video, and their evidence carries across steps.
 */
public final class RolloutController {

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
        RolloutGateJudge judge = new RolloutGateJudge(RolloutPlans.withDefaults(plan.getGates()));
        int maxVideos = judge.maxVideos(plan.getStepsCount(), plan.getMinVideos()) * (1 + plan.getResumes());
        RolloutDecision.Builder d = RolloutDecision.newBuilder().setModelName(rollout.getModelName())
                .setCandidateVersion(version).setStableVersion(rollout.getStableVersion()).setStep(plan.getCurrentStep())
                .setTrafficWeight(RolloutPlans.weightOf(rollout, version)).setDecidedAtMs(nowMs)
                .setRolloutRevision(rollout.getRevision()).setWrittenRevision(rollout.getRevision())
                .setStepPairs(evidence.stepPairs()).setStepSeconds(evidence.stepSeconds())
                .setPlanPairs(evidence.planPairs().n()).setMaxVideos(maxVideos);
        if (!RolloutPlans.onPlan(rollout)) {
            double wanted = plan.getCurrentStep() < plan.getStepsCount() ? plan.getSteps(plan.getCurrentStep()) : Double.NaN;
            return Optional.of(new Decision(d.setAction(RolloutAction.ROLLOUT_ACTION_STAND_DOWN)
                    .setReason(String.format("rollout edited by hand: %s has weight %.4f, step %d of the plan wants %.4f;"
                                    + " the controller leaves it to the operator (vqa rollout resume %s to hand it back)",
                            version, RolloutPlans.weightOf(rollout, version), plan.getCurrentStep(), wanted, version)).build(),
                    Optional.empty()));
        }
        List<GateValue> gates = judge.gates(evidence, plan.getSteps(plan.getCurrentStep()) > 0);
        d.addAllGates(gates);
        List<String> failed = names(gates, GateOutcome.GATE_OUTCOME_FAIL);
        List<String> open = names(gates, GateOutcome.GATE_OUTCOME_INCONCLUSIVE);
        if (!failed.isEmpty()) {
            String reason = "gate failed: " + String.join(", ", failed) + "; " + version + " taken out of traffic";
            return decision(d, RolloutAction.ROLLOUT_ACTION_ROLL_BACK, reason, RolloutPlans.rollBack(version, reason));
        }
        boolean stepDone = evidence.stepPairs() >= plan.getMinVideos() && evidence.stepSeconds() >= plan.getMinSeconds();
        if (open.isEmpty() && stepDone) {
            if (plan.getCurrentStep() == plan.getStepsCount() - 1) {
                String reason = "every gate passed at the last step: " + version + " promoted to stable";
                return decision(d, RolloutAction.ROLLOUT_ACTION_PROMOTE, reason, RolloutPlans.promote(version, reason));
            }
            String reason = String.format("every gate passed at step %d: %s to %.4f", plan.getCurrentStep(), version,
                    plan.getSteps(plan.getCurrentStep() + 1));
            return decision(d, RolloutAction.ROLLOUT_ACTION_STEP_UP, reason, RolloutPlans.stepUp(version, nowMs, reason));
        }
        if (!open.isEmpty() && evidence.planPairs().n() >= maxVideos) {
            String reason = String.format("undecided after %d paired videos (the plan's maximum %d): %s; paused for an"
                    + " operator (vqa rollout resume %s allows %d more)", evidence.planPairs().n(), maxVideos,
                    String.join(", ", open), version, maxVideos / (1 + plan.getResumes()));
            return decision(d, RolloutAction.ROLLOUT_ACTION_PAUSE, reason,
                    (model, current) -> {
                        Rollout r = current.orElseThrow();
                        return r.toBuilder().setPlan(r.getPlan().toBuilder().setState(PlanState.PLAN_STATE_PAUSED)
                                .setReason(reason)).build();
                    });
        }
        String reason = String.format("step %d: %d of %d paired videos, %d of %d s%s", plan.getCurrentStep(),
                evidence.stepPairs(), plan.getMinVideos(), evidence.stepSeconds(), plan.getMinSeconds(),
                open.isEmpty() ? "; every gate passed" : "; gathering evidence (" + evidence.planPairs().n() + " of at most "
                        + maxVideos + " paired videos) for: " + String.join(", ", open));
        return Optional.of(new Decision(d.setAction(RolloutAction.ROLLOUT_ACTION_HOLD).setReason(reason).build(), Optional.empty()));
    }

    private static Optional<Decision> decision(RolloutDecision.Builder d, RolloutAction action, String reason,
                                               RolloutEdits.Edit edit) {
        return Optional.of(new Decision(d.setAction(action).setReason(reason).build(), Optional.of(edit)));
    }

    private static List<String> names(List<GateValue> gates, GateOutcome outcome) {
        return gates.stream().filter(g -> g.getOutcome() == outcome).map(RolloutGateJudge::describe).toList();
    }
}
