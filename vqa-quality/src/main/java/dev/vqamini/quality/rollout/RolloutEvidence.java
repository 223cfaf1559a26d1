package dev.vqamini.quality.rollout;

import dev.vqamini.stats.PairedAgreement;

/**
 * What the controller knows about a candidate at its current step.
 *
 * @param paired            stable against candidate on the videos paired during this step
 * @param stepSeconds       how long the step has lasted
 * @param candidateVideos   videos the candidate scored for real (its cost statistics are over these)
 * @param candidateP99E2eS  candidate p99 end-to-end latency, seconds (null when unknown)
 * @param stableP99E2eS     the stable version's
 * @param candidateClipsPerInferenceS clips per second of model time, the candidate's (null when unknown)
 * @param stableClipsPerInferenceS    the stable version's
 * @param candidateRefusals scorers' refusals of the candidate (dead letters of stage scorer-model keyed by it)
 */
public record RolloutEvidence(PairedAgreement paired, long stepSeconds, long candidateVideos, Double candidateP99E2eS,
                              Double stableP99E2eS, Double candidateClipsPerInferenceS, Double stableClipsPerInferenceS,
                              long candidateRefusals) {

    /** Evidence without refusals. */
    public RolloutEvidence(PairedAgreement paired, long stepSeconds, long candidateVideos, Double candidateP99E2eS,
                           Double stableP99E2eS, Double candidateClipsPerInferenceS, Double stableClipsPerInferenceS) {
        this(paired, stepSeconds, candidateVideos, candidateP99E2eS, stableP99E2eS, candidateClipsPerInferenceS,
                stableClipsPerInferenceS, 0);
    }

    /** Paired evidence only, no cost statistics yet (cost gates are inconclusive). */
    public static RolloutEvidence paired(PairedAgreement paired, long stepSeconds) {
        return new RolloutEvidence(paired, stepSeconds, 0, null, null, null, null);
    }
}
