package dev.vqamini.release;

import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.RolloutPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans and decisions as JSON-ready maps with snake_case names, the one form {@code vqa rollout show --json} and
 * metrics-service's {@code /rollouts} endpoints print. Unknown numbers (NaN) are null.
 */
public final class RolloutViews {

    private RolloutViews() {
    }

    public static Map<String, Object> plan(RolloutPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("candidate", p.getCandidateVersion());
        m.put("state", RolloutPlans.state(p));
        m.put("steps", p.getStepsList());
        m.put("current_step", p.getCurrentStep());
        m.put("current_weight", p.getCurrentStep() < p.getStepsCount() ? p.getSteps(p.getCurrentStep()) : null);
        m.put("min_videos", p.getMinVideos());
        m.put("min_seconds", p.getMinSeconds());
        m.put("step_started_at_ms", p.getStepStartedAtMs());
        m.put("plan_started_at_ms", p.getPlanStartedAtMs());
        m.put("resumes", p.getResumes());
        m.put("shadow_fraction", p.getShadowFraction());
        m.put("reason", p.getReason());
        RolloutGates g = RolloutPlans.withDefaults(p.getGates());
        Map<String, Object> gates = new LinkedHashMap<>();
        gates.put("min_agreement_srcc", g.getMinAgreementSrcc());
        gates.put("max_srcc_drop", g.getMaxSrccDrop());
        gates.put("min_labelled_pairs", g.getMinLabelledPairs());
        gates.put("max_p99_latency_increase", g.getMaxP99LatencyIncrease());
        gates.put("max_throughput_decrease", g.getMaxThroughputDecrease());
        gates.put("indifference", g.getIndifference());
        gates.put("alpha", g.getAlpha());
        gates.put("beta", g.getBeta());
        gates.put("max_videos", g.getMaxVideos() == 0 ? null : g.getMaxVideos());
        m.put("gates", gates);
        return m;
    }

    public static Map<String, Object> decision(RolloutDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", d.getModelName());
        m.put("candidate", d.getCandidateVersion());
        m.put("stable", d.getStableVersion());
        m.put("step", d.getStep());
        m.put("traffic_weight", d.getTrafficWeight());
        m.put("action", action(d));
        m.put("reason", d.getReason());
        m.put("decided_at_ms", d.getDecidedAtMs());
        m.put("rollout_revision", d.getRolloutRevision());
        m.put("written_revision", d.getWrittenRevision());
        m.put("step_pairs", d.getStepPairs());
        m.put("step_seconds", d.getStepSeconds());
        m.put("plan_pairs", d.getPlanPairs());
        m.put("max_videos", d.getMaxVideos());
        List<Map<String, Object>> gates = new ArrayList<>();
        for (GateValue g : d.getGatesList()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.getName());
            gm.put("outcome", g.getOutcome().name().substring("GATE_OUTCOME_".length()).toLowerCase(Locale.ROOT));
            gm.put("value", num(g.getValue()));
            gm.put("ci", Double.isNaN(g.getLow()) && Double.isNaN(g.getHigh()) ? null : Arrays.asList(num(g.getLow()), num(g.getHigh())));
            gm.put("threshold", num(g.getThreshold()));
            gm.put("n", g.getN());
            gm.put("fail_at", num(g.getFailAt()));
            gm.put("pass_at", num(g.getPassAt()));
            gm.put("evidence", num(g.getEvidence()));
            gm.put("alpha", num(g.getAlpha()));
            gm.put("beta", num(g.getBeta()));
            gates.add(gm);
        }
        m.put("gates", gates);
        return m;
    }

    /** {@code step_up}, {@code promote}, {@code roll_back}, {@code pause}, {@code hold}, {@code stand_down}. */
    public static String action(RolloutDecision d) {
        return d.getAction().name().substring("ROLLOUT_ACTION_".length()).toLowerCase(Locale.ROOT);
    }

    private static Double num(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
