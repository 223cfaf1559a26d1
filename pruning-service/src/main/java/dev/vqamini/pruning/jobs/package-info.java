/**
 * Pruning jobs over REST: request, status, the job runner that publishes versions and canaries, calibration read off the topics.
 */
package dev.vqamini.pruning.jobs;
