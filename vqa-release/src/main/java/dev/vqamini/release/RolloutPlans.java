package dev.vqamini.release;

import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.RolloutPlan;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * The edits of a planned rollout, as {@link RolloutEdits.Edit}s for {@link RolloutWriter}: an operator plans, pauses,
 * resumes or aborts; the rollout controller steps up, promotes, rolls back or pauses. Each keeps the candidate's
 * traffic weight equal to the plan's current step, which is how the controller tells its own edits from anyone
 * else's: a weight that differs from the step was set by hand, and the controller stands down.
 *
 * <p>Paired evidence comes from shadow scoring: while the candidate has at most half the traffic it shadow-scores a
 * share of the stable version's videos; above that the stable version shadow-scores the candidate's, so every step,
 * 100 % included, keeps producing pairs.
 */
public final class RolloutPlans {

    // The defaults of a plan, written once: the CLI's options, pruning-service's requests and the gates use these.
    public static final double DEFAULT_MIN_AGREEMENT = 0.9;
    public static final double DEFAULT_MAX_SRCC_DROP = 0.02;
    public static final int DEFAULT_MIN_LABELLED = 30;
    public static final double DEFAULT_MAX_LATENCY_INCREASE = 0.5;
    public static final double DEFAULT_MAX_THROUGHPUT_DECREASE = 0.3;
    public static final double DEFAULT_INDIFFERENCE = 0.05;
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_BETA = 0.05;
    public static final int DEFAULT_MIN_VIDEOS = 50;
    public static final long DEFAULT_MIN_SECONDS = 300;
    public static final double DEFAULT_SHADOW_FRACTION = 0.2;

    /** Gate thresholds and error rates when an operator names none (max_videos 0: derived from the error rates). */
    public static final RolloutGates DEFAULT_GATES = RolloutGates.newBuilder()
            .setMinAgreementSrcc(DEFAULT_MIN_AGREEMENT).setMaxSrccDrop(DEFAULT_MAX_SRCC_DROP)
            .setMinLabelledPairs(DEFAULT_MIN_LABELLED).setMaxP99LatencyIncrease(DEFAULT_MAX_LATENCY_INCREASE)
            .setMaxThroughputDecrease(DEFAULT_MAX_THROUGHPUT_DECREASE)
            .setIndifference(DEFAULT_INDIFFERENCE).setAlpha(DEFAULT_ALPHA).setBeta(DEFAULT_BETA).build();

    /**
     * The one way a plan is asked for: steps in percent, and whatever else the caller names; what it leaves null
     * takes the default above. {@link #edit} checks it all.
     */
    public static final class Request {
        private final String version;
        private final List<Double> stepsPercent;
        private final RolloutGates.Builder gates = DEFAULT_GATES.toBuilder();
        private int minVideos = DEFAULT_MIN_VIDEOS;
        private long minSeconds = DEFAULT_MIN_SECONDS;
        private double shadowFraction = DEFAULT_SHADOW_FRACTION;

        private Request(String version, List<Double> stepsPercent) {
            this.version = version;
            this.stepsPercent = stepsPercent;
        }

        public Request minVideos(Integer n) {
            if (n != null) {
                minVideos = n;
            }
            return this;
        }

        public Request minSeconds(Long seconds) {
            if (seconds != null) {
                minSeconds = seconds;
            }
            return this;
        }

        public Request shadowFraction(Double fraction) {
            if (fraction != null) {
                shadowFraction = fraction;
            }
            return this;
        }

        public Request minAgreement(Double a) {
            if (a != null) {
                gates.setMinAgreementSrcc(a);
            }
            return this;
        }

        public Request indifference(Double d) {
            if (d != null) {
                gates.setIndifference(d);
            }
            return this;
        }

        public Request alpha(Double p) {
            if (p != null) {
                gates.setAlpha(p);
            }
            return this;
        }

        public Request beta(Double p) {
            if (p != null) {
                gates.setBeta(p);
            }
            return this;
        }

        public Request maxVideos(Integer n) {
            if (n != null) {
                gates.setMaxVideos(n);
            }
            return this;
        }

        public Request maxSrccDrop(Double d) {
            if (d != null) {
                gates.setMaxSrccDrop(d);
            }
            return this;
        }

        public Request minLabelled(Integer n) {
            if (n != null) {
                gates.setMinLabelledPairs(n);
            }
            return this;
        }

        /** 0 turns the latency gate off. */
        public Request maxLatencyIncrease(Double m) {
            if (m != null) {
                gates.setMaxP99LatencyIncrease(m);
            }
            return this;
        }

        /** 0 turns the throughput gate off. */
        public Request maxThroughputDecrease(Double m) {
            if (m != null) {
                gates.setMaxThroughputDecrease(m);
            }
            return this;
        }

        /** The gates in force, defaults filled. */
        public RolloutGates gates() {
            return withDefaults(gates.build());
        }

        /** The plan's edit; refuses missing or bad steps, rates and margins now, before anything is written. */
        public RolloutEdits.Edit edit(long nowMs) {
            if (stepsPercent == null || stepsPercent.isEmpty()) {
                throw new IllegalArgumentException("a plan needs its steps, in percent, e.g. 5,25,50,100");
            }
            return plan(version, stepsPercent.stream().map(p -> p / 100).toList(), minVideos, minSeconds, gates.build(),
                    shadowFraction, nowMs);
        }
    }

    /** A plan for {@code version} stepping through {@code stepsPercent} (percent of traffic). */
    public static Request request(String version, List<Double> stepsPercent) {
        return new Request(version, stepsPercent);
    }

    private static final double SAME_WEIGHT = 1e-9;

    private RolloutPlans() {
    }

    /** The plan of {@code version} in the rollout, if it has one. */
    public static Optional<RolloutPlan> planOf(Rollout r, String version) {
        return r.hasPlan() && r.getPlan().getCandidateVersion().equals(version) ? Optional.of(r.getPlan()) : Optional.empty();
    }

    /** The candidate's weight in the rollout; 0 when it is not a candidate. */
    public static double weightOf(Rollout r, String version) {
        return r.getCandidatesList().stream().filter(c -> c.getModelVersion().equals(version))
                .mapToDouble(RolloutCandidate::getTrafficWeight).findFirst().orElse(0);
    }

    /** Whether the candidate's weight is the one its plan's current step asks for (no hand edit since). */
    public static boolean onPlan(Rollout r) {
        RolloutPlan p = r.getPlan();
        return p.getCurrentStep() < p.getStepsCount()
                && Math.abs(weightOf(r, p.getCandidateVersion()) - p.getSteps(p.getCurrentStep())) < SAME_WEIGHT;
    }

    /**
     * Starts a plan: {@code version} becomes a candidate at the first step's weight, shadow scoring begins, the
     * controller takes over. Replaces an ended plan; refuses while another plan is active or paused.
     */
    public static RolloutEdits.Edit plan(String version, List<Double> steps, int minVideos, long minSeconds,
                                         RolloutGates gates, double shadowFraction, long nowMs) {
        checkSteps(steps);
        RolloutGates inForce = withDefaults(gates);
        if (minVideos < 0 || minSeconds < 0) {
            throw new IllegalArgumentException("--min-videos and --min-seconds must not be negative");
        }
        if (!(shadowFraction > 0 && shadowFraction <= 1)) {
            throw new IllegalArgumentException("shadow fraction must be in (0, 1], got " + shadowFraction);
        }
        return (model, current) -> {
            Rollout r = current.orElseThrow(() -> new IllegalArgumentException("model " + model
                    + " has no rollout yet: promote a stable version first (vqa rollout promote VERSION)"));
            if (r.hasPlan() && live(r.getPlan()) && !r.getPlan().getCandidateVersion().equals(version)) {
                throw new IllegalArgumentException("model " + model + " already has a " + state(r.getPlan()) + " plan for "
                        + r.getPlan().getCandidateVersion() + ": abort it first (vqa rollout abort " + r.getPlan().getCandidateVersion() + ")");
            }
            RolloutPlan plan = RolloutPlan.newBuilder().setCandidateVersion(version).addAllSteps(steps).setCurrentStep(0)
                    .setMinVideos(minVideos).setMinSeconds(minSeconds).setGates(inForce).setState(PlanState.PLAN_STATE_ACTIVE)
                    .setStepStartedAtMs(nowMs).setPlanStartedAtMs(nowMs).setReason("planned by an operator").setShadowFraction(shadowFraction).build();
            return atStep(RolloutEdits.canary(version, steps.get(0)).apply(model, current), plan, 0, nowMs);
        };
    }

    /** Pauses the plan of {@code version}: the controller leaves it until resumed. Traffic stays as it is. */
    public static RolloutEdits.Edit pause(String version, String reason) {
        return (model, current) -> {
            Rollout r = withPlan(model, current, version);
            return r.toBuilder().setPlan(r.getPlan().toBuilder().setState(PlanState.PLAN_STATE_PAUSED).setReason(reason)).build();
        };
    }

    /**
     * Resumes a paused (or stood-down) plan at its current step: the weight is set back to the step's and the step's
     * minimum time and videos count again from now. The plan's sequential evidence is kept (its error rates hold
     * however long one keeps looking) and it may gather {@code max_videos} more paired videos before pausing again.
     */
    public static RolloutEdits.Edit resume(String version, long nowMs) {
        return (model, current) -> {
            Rollout r = withPlan(model, current, version);
            if (!live(r.getPlan())) {
                throw new IllegalArgumentException("the plan of " + version + " has ended (" + state(r.getPlan())
                        + "): plan it again (vqa rollout plan " + version + " --steps ...)");
            }
            RolloutPlan p = r.getPlan().toBuilder().setState(PlanState.PLAN_STATE_ACTIVE).setReason("resumed by an operator")
                    .setResumes(r.getPlan().getResumes() + 1).build();
            Rollout reweighted = RolloutEdits.canary(version, p.getSteps(p.getCurrentStep())).apply(model, Optional.of(r));
            return atStep(reweighted, p, p.getCurrentStep(), nowMs);
        };
    }

    /** Ends the plan by hand: the candidate is taken out of traffic and shadow. */
    public static RolloutEdits.Edit abort(String version, String reason) {
        return (model, current) -> {
            Rollout r = withPlan(model, current, version);
            return ended(r, PlanState.PLAN_STATE_ABORTED, reason);
        };
    }

    /** The controller's step up: the next step's weight, a new step clock. */
    public static RolloutEdits.Edit stepUp(String version, long nowMs, String reason) {
        return (model, current) -> {
            Rollout r = withPlan(model, current, version);
            int next = r.getPlan().getCurrentStep() + 1;
            if (next >= r.getPlan().getStepsCount()) {
                throw new IllegalArgumentException(version + " is at its last step: promote it");
            }
            Rollout reweighted = RolloutEdits.canary(version, r.getPlan().getSteps(next)).apply(model, Optional.of(r));
            return atStep(reweighted, r.getPlan().toBuilder().setReason(reason).build(), next, nowMs);
        };
    }

    /** The controller's promotion at the end of the plan: the candidate becomes stable, shadowing ends. */
    public static RolloutEdits.Edit promote(String version, String reason) {
        return (model, current) -> {
            Rollout r = withPlan(model, current, version);
            Rollout promoted = RolloutEdits.promote(version).apply(model, Optional.of(r));
            return promoted.toBuilder().clearShadowVersion().clearShadowFraction()
                    .setPlan(r.getPlan().toBuilder().setState(PlanState.PLAN_STATE_PROMOTED).setReason(reason)).build();
        };
    }

    /** The controller's rollback on a failed gate: the candidate is taken out of traffic and shadow. */
    public static RolloutEdits.Edit rollBack(String version, String reason) {
        return (model, current) -> ended(withPlan(model, current, version), PlanState.PLAN_STATE_ROLLED_BACK, reason);
    }

    /**
     * Applies {@code edit} only if the rollout is still at {@code revision}: the controller's compare-and-set, so an
     * operator's edit that came in between wins.
     */
    public static RolloutEdits.Edit atRevision(long revision, RolloutEdits.Edit edit) {
        return (model, current) -> {
            long now = current.map(Rollout::getRevision).orElse(0L);
            if (now != revision) {
                throw new IllegalStateException("rollout of " + model + " moved from revision " + revision + " to " + now
                        + " meanwhile: not applied");
            }
            return edit.apply(model, current);
        };
    }

    /**
     * The gates with every unset statistic (0, as in plans written before they existed) at its default, after
     * checking that the rest make sense: error rates in (0, 0.5), a margin that leaves a value above -1.
     */
    public static RolloutGates withDefaults(RolloutGates g) {
        RolloutGates.Builder b = g.toBuilder();
        if (g.getIndifference() == 0) {
            b.setIndifference(DEFAULT_GATES.getIndifference());
        }
        if (g.getAlpha() == 0) {
            b.setAlpha(DEFAULT_GATES.getAlpha());
        }
        if (g.getBeta() == 0) {
            b.setBeta(DEFAULT_GATES.getBeta());
        }
        RolloutGates out = b.build();
        if (!(out.getAlpha() > 0 && out.getAlpha() < 0.5 && out.getBeta() > 0 && out.getBeta() < 0.5)) {
            throw new IllegalArgumentException("--alpha and --beta must be in (0, 0.5), got " + out.getAlpha() + " and " + out.getBeta());
        }
        if (!(out.getMinAgreementSrcc() > -1 && out.getMinAgreementSrcc() < 1)) {
            throw new IllegalArgumentException("--min-agreement must be in (-1, 1), got " + out.getMinAgreementSrcc());
        }
        if (!(out.getIndifference() > 0 && out.getMinAgreementSrcc() - out.getIndifference() > -1)) {
            throw new IllegalArgumentException("--indifference must be above 0 and leave --min-agreement minus it above -1, got "
                    + out.getIndifference());
        }
        if (out.getMaxVideos() < 0) {
            throw new IllegalArgumentException("--max-videos must not be negative, got " + out.getMaxVideos());
        }
        return out;
    }

    /** Whether the plan can still move (active or paused). */
    public static boolean live(RolloutPlan p) {
        return p.getState() == PlanState.PLAN_STATE_ACTIVE || p.getState() == PlanState.PLAN_STATE_PAUSED;
    }

    /** The state as operators read it: active, paused, aborted, promoted, rolled_back. */
    public static String state(RolloutPlan p) {
        return p.getState().name().substring("PLAN_STATE_".length()).toLowerCase(Locale.ROOT);
    }

    private static Rollout atStep(Rollout r, RolloutPlan plan, int step, long nowMs) {
        double weight = plan.getSteps(step);
        // who shadows whom: the side with less traffic is shadow-scored on the other's videos
        String shadow = weight <= 0.5 ? plan.getCandidateVersion() : r.getStableVersion();
        return r.toBuilder().setShadowVersion(shadow).setShadowFraction(plan.getShadowFraction())
                .setPlan(plan.toBuilder().setCurrentStep(step).setStepStartedAtMs(nowMs)).build();
    }

    private static Rollout ended(Rollout r, PlanState state, String reason) {
        String version = r.getPlan().getCandidateVersion();
        Rollout out = weightOf(r, version) > 0 ? RolloutEdits.canary(version, 0).apply(r.getModelName(), Optional.of(r)) : r;
        Rollout.Builder b = out.toBuilder().setPlan(r.getPlan().toBuilder().setState(state).setReason(reason));
        if (out.getShadowVersion().equals(version) || out.getShadowVersion().equals(r.getStableVersion())) {
            b.clearShadowVersion().clearShadowFraction();
        }
        return b.build();
    }

    private static Rollout withPlan(String model, Optional<Rollout> current, String version) {
        Rollout r = current.orElseThrow(() -> new IllegalArgumentException("model " + model + " has no rollout"));
        if (planOf(r, version).isEmpty()) {
            throw new IllegalArgumentException("model " + model + " has no plan for " + version
                    + (r.hasPlan() ? " (its plan is for " + r.getPlan().getCandidateVersion() + ")" : "")
                    + ": vqa rollout plan " + version + " --steps 5,25,50,100");
        }
        return r;
    }

    private static void checkSteps(List<Double> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one step");
        }
        // A first step of 0 is shadow only: the stable version serves every video while pairs accumulate.
        double last = -1;
        for (double s : steps) {
            if (!(s > last && s >= 0 && s <= 1) || (s == 0 && last >= 0)) {
                throw new IllegalArgumentException("steps must increase within [0, 1] (as fractions), got " + steps);
            }
            last = s;
        }
        if (last == 0) {
            throw new IllegalArgumentException("a plan must end with a weight above 0, got " + steps);
        }
    }
}
