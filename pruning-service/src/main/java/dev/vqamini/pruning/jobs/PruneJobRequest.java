package dev.vqamini.pruning.jobs;

import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import java.util.List;

/**
 * A pruning job as a client posts it. Calibration comes from a dataset named by {@code dataset} (a folder under
 * {@code vqa.prune.allowed-roots}), a folder below those roots ({@code calibrationDir}, optional {@code labels}) or,
 * when neither is given, from a sample of up to {@code fragmentSample} complete videos on vqa.fragments, with MOS
 * from vqa.labels. No path outside the allowed roots is ever read.
 *
 * @param weights      the parent model (.pth, .safetensors or bundle path below the allowed roots); null: the
 *                     bootstrap model
 * @param canaryWeight when set, a vqa.rollouts entry sends this share of traffic to the new version
 * @param rolloutPlan  instead of a fixed canary: the new version walks this plan, stepped by the rollout controller
 * @param targetLatency instead of targetParams: the fraction of the parent's latency to keep, planned with a latency
 *                     table (targetParams is then left out, 0)
 * @param latencyTable with targetLatency: a latency table (a path below the allowed roots) measured on the hardware
 *                     that will serve the version, e.g. by {@code vqa latency-table --out FILE} on a scorer host; null: one
 *                     is measured on the pruning-service's own host when the job starts
 * @param channelMultiple pruned channel counts are rounded to multiples of this; null: {@code PruneConfig}'s default
 */
public record PruneJobRequest(String recipe, double targetParams, Double targetFlops, String weights, String calibrationDir,
                              String labels, Integer fragmentSample, String importance, String refitTarget, String version,
                              Boolean publish, Double canaryWeight, String dataset, RolloutPlanRequest rolloutPlan,
                              Double targetLatency, String latencyTable, Integer channelMultiple) {

    /** A request with parameter (and FLOP) targets. */
    public PruneJobRequest(String recipe, double targetParams, Double targetFlops, String weights, String calibrationDir,
                           String labels, Integer fragmentSample, String importance, String refitTarget, String version,
                           Boolean publish, Double canaryWeight, String dataset, RolloutPlanRequest rolloutPlan) {
        this(recipe, targetParams, targetFlops, weights, calibrationDir, labels, fragmentSample, importance, refitTarget,
                version, publish, canaryWeight, dataset, rolloutPlan, null, null, null);
    }

    /**
     * A rollout plan as {@code vqa rollout plan} takes it: steps in percent; unset fields take the CLI's defaults.
     *
     * @param steps traffic per step in percent, increasing (a first 0 is shadow only)
     * @param indifference the margin below minAgreement where either decision is acceptable (null: 0.05)
     * @param alpha        most probable rollback of an acceptable candidate over the plan (null: 0.05)
     * @param beta         most probable promotion of an unacceptable one (null: 0.05)
     * @param maxVideos    paired videos before an undecided plan pauses (null: from the error rates)
     */
    public record RolloutPlanRequest(List<Double> steps, Integer minVideos, Long minSeconds, Double shadowFraction,
                                     Double minAgreement, Double maxSrccDrop, Double indifference, Double alpha, Double beta,
                                     Integer maxVideos) {

        /** The plan's edit for {@code version}; checks the steps now, so a bad plan is refused before any work. */
        public RolloutEdits.Edit edit(String version) {
            if (steps == null || steps.isEmpty()) {
                throw new IllegalArgumentException("rolloutPlan.steps is required, e.g. [5, 25, 50, 100]");
            }
            return RolloutPlans.request(version, steps).minVideos(minVideos).minSeconds(minSeconds)
                    .shadowFraction(shadowFraction).minAgreement(minAgreement).maxSrccDrop(maxSrccDrop)
                    .indifference(indifference).alpha(alpha).beta(beta).maxVideos(maxVideos).edit(System.currentTimeMillis());
        }
    }
}
