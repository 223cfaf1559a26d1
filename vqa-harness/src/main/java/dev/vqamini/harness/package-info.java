/**
 * The test and benchmark harness of the {@code vqa} command line, apart from the operator commands of
 * {@code dev.vqamini.cli}: {@code vqa demo} (the real system end to end on this machine: a broker, the four services'
 * Quarkus apps as processes, optionally a local Prometheus with the deployed configuration), {@code vqa faults} (the
 * fault matrix), {@code vqa soak}, {@code vqa synth} (labelled synthetic test videos) and the benchmarks
 * ({@code vqa bench}, {@code bench-model}, {@code bench-decode} and the hidden {@code bench-worker}).
 * {@link dev.vqamini.harness.HarnessCommands} is the launcher's main class: the operator commands plus these.
 */
package dev.vqamini.harness;
