package dev.vqamini.model.runtime;

/**
 * How ONNX Runtime sessions run.
 *
 * @param intraOpThreads threads inside one operator (2 halves single-thread time on a 2-core machine)
 * @param preferGpu      try the CUDA provider first (needs the {@code gpu} Maven profile); CPU otherwise
 * @param gpuDevice      CUDA device id
 */
public record RunnerOptions(int intraOpThreads, boolean preferGpu, int gpuDevice) {

    public RunnerOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime's default), got " + intraOpThreads);
        }
    }

    /** All available cores, GPU if present. */
    public static RunnerOptions defaults() {
        return new RunnerOptions(Runtime.getRuntime().availableProcessors(), true, 0);
    }

    public RunnerOptions withThreads(int threads) {
        return new RunnerOptions(threads, preferGpu, gpuDevice);
    }

    public RunnerOptions cpuOnly() {
        return new RunnerOptions(intraOpThreads, false, gpuDevice);
    }
}
