/**
 * Quality per model version, framework-free: labelled windows, throughput and latency stats, the per-version table
 * operators read, and each candidate against its stable version (SRCC difference, Zou interval, verdict).
 */
package dev.vqamini.quality;
