package dev.vqamini.pruning.jobs;

/**
 * A pruning job as a client posts it. Calibration comes from a dataset named by {@code dataset} (a folder under
 * {@code vqa.prune.allowed-roots}), a folder below those roots ({@code calibrationDir}, optional {@code labels}) or,
 * when neither is given, from a sample of up to {@code fragmentSample} complete videos on vqa.fragments, with MOS
 * from vqa.labels. No path outside the allowed roots is ever read.
 *
 * @param weights      the parent model (.pth, .safetensors or bundle path below the allowed roots); null: the
 *                     bootstrap model
 * @param canaryWeight when set, a vqa.rollouts entry sends this share of traffic to the new version
 */
public record PruneJobRequest(String recipe, double targetParams, Double targetFlops, String weights, String calibrationDir,
                              String labels, Integer fragmentSample, String importance, String refitTarget, String version,
                              Boolean publish, Double canaryWeight, String dataset) {
}
