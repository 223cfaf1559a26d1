/**
 * What a scorer needs, framework-free: {@link dev.vqamini.serving.VideoScorer} scores a whole video with one model
 * version; the model registry with leases, serving-model checks (checksums, signature, graph, probe), the dynamic
 * batcher and the at-least-once scoring loop of scorer-service live here too.
 */
package dev.vqamini.serving;
