package dev.vqamini.quality.rollout;

import dev.vqamini.quality.PairedScores;
import dev.vqamini.quality.VersionStats;

/**
 * What the controller knows about a planned candidate.
 *
 * @param planPairs         stable against candidate on every video paired since the plan began (the sequential
 *                          tests' evidence: agreement does not depend on the traffic share, so it carries across steps)
 * @param stepPairs         how many of those were paired during the current step (the step's minimum counts these)
 * @param stepSeconds       how long the step has lasted
 * @param candidateCost     the candidate's latency and model time per video (empty when it served none)
 * @param stableCost        the stable version's
 * @param candidateRefusals scorers' refusals of the candidate (dead letters of stage scorer-model keyed by it)
 */
public record RolloutEvidence(PairedScores planPairs, int stepPairs, long stepSeconds, VersionStats candidateCost,
                              VersionStats stableCost, long candidateRefusals) {

    /** Paired evidence only: no cost statistics, no refusals (the cost gates wait). */
    public static RolloutEvidence paired(PairedScores planPairs, int stepPairs, long stepSeconds) {
        return new RolloutEvidence(planPairs, stepPairs, stepSeconds, VersionStats.empty(), VersionStats.empty(), 0);
    }
}
