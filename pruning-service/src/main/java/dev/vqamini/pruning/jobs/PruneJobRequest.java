package dev.vqamini.pruning.jobs;

/**
 * A pruning job as a client posts it. Calibration comes from a dataset folder on the service's disk
 * ({@code calibrationDir}, optional {@code labels}) or, when no folder is given, from a sample of up to
 * {@code fragmentSample} complete videos on vqa.fragments, with MOS from vqa.labels.
 *
 * @param weights      the parent model (.pth, .safetensors or bundle path); null: the bootstrap model
 * @param canaryWeight when set, a vqa.rollouts entry sends this share of traffic to the new version
 */
public record PruneJobRequest(String recipe, double targetParams, Double targetFlops, String weights, String calibrationDir,
                              String labels, Integer fragmentSample, String importance, String refitTarget, String version,
                              Boolean publish, Double canaryWeight) {
}
