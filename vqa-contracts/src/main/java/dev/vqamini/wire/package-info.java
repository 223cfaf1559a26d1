/**
 * The record contracts: protobuf serdes, the topic catalog and its idempotent bootstrap, model chunks, large-record client settings, the full-topic reader, the clip assembler and the rollout writer (read-modify-write of vqa.rollouts).
 */
package dev.vqamini.wire;
