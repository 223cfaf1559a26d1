/**
 * Latency tables: each segment of a branch graph (input cut, stem, downsampling, block, head) timed alone with ONNX
 * Runtime at the widths pruning can produce, so a pruned architecture's latency is predicted by summing, and the
 * pruning planner can spend a latency budget on this host's hardware.
 */
package dev.vqamini.model.latency;
