package dev.vqamini.cli;

import dev.vqamini.model.runtime.RunnerOptions;
import picocli.CommandLine.Option;

/** ONNX Runtime settings shared by commands that run a model. */
public final class RuntimeOptions {

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (default: all cores).")
    public int threads;

    @Option(names = "--cpu", description = "Do not try the CUDA provider.")
    boolean cpu;

    public RunnerOptions options() {
        RunnerOptions o = RunnerOptions.defaults();
        if (threads > 0) {
            o = o.withThreads(threads);
        }
        return cpu ? o.cpuOnly() : o;
    }
}
