/**
 * Releasing model versions over Kafka, without ONNX Runtime: {@link dev.vqamini.release.ModelRelease} (the one publish
 * sequence), chunking and publishing on vqa.models, following vqa.models and vqa.rollouts, rollout edits and plans,
 * the rollout writer (read-modify-write) and the sticky rollout policy. The bundle format itself is
 * {@code dev.vqamini.bundle}'s.
 */
package dev.vqamini.release;
