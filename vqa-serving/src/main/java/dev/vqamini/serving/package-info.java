/**
 * What a scorer needs, framework-free: {@link dev.vqamini.serving.VideoScorer} scores a whole video with one model
 * version. The model registry with leases, the dynamic batcher and the rollout policy of scorer-service live here too.
 */
package dev.vqamini.serving;
