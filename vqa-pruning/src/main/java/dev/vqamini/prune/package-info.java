/**
 * Pruning: dependency groups, importance, sensitivity scans, budget allocation, physical channel and block surgery, the five recipes and the pruning job.
 */
package dev.vqamini.prune;
