/**
 * The {@code vqa} command line (picocli): one class per command, shared options as mixins; the work itself lives in the library modules.
 * These are the operator commands; the demo, fault matrix, soak, synthetic videos and benchmarks are in module vqa-harness
 * ({@code dev.vqamini.harness}), whose main class is what {@code ./vqa} runs.
 */
package dev.vqamini.cli;
