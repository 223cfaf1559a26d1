/**
 * Releasing model versions, without ONNX Runtime: the typed manifest, the serving bundle (manifest and graphs) that
 * vqa.models carries, Ed25519 manifest signatures, chunking and publishing, following vqa.models and vqa.rollouts,
 * rollout edits, the rollout writer (read-modify-write) and the sticky rollout policy.
 */
package dev.vqamini.release;
