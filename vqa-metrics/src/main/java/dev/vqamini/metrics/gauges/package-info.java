/** The quality topology's and the rollout controller's numbers as Micrometer meters, tagged by model version. */
package dev.vqamini.metrics.gauges;
