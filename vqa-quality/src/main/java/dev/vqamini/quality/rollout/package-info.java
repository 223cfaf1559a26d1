/**
 * Rollouts that decide themselves: {@link dev.vqamini.quality.rollout.RolloutController} decides a plan's next step
 * from {@link dev.vqamini.quality.rollout.RolloutEvidence} with the sequential gates of
 * {@link dev.vqamini.quality.rollout.RolloutGateJudge}; {@link dev.vqamini.quality.rollout.RolloutControllerLoop} runs it
 * on Kafka under an election; {@link dev.vqamini.quality.rollout.RolloutSimulator} checks its error rates by simulation.
 */
package dev.vqamini.quality.rollout;
