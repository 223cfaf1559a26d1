package dev.vqamini.model.runtime;

/**
 * How ONNX Runtime sessions run.
 *
 * @param intraOpThreads threads inside one operator (2 halves single-thread time on a 2-core machine)
 * @param preferGpu      try the CUDA provider first (needs the {@code gpu} Maven profile); CPU otherwise
 * @param gpuDevice      CUDA device id
 * @param spinning       intra-op threads spin between ops instead of sleeping: a little faster on cores the process has
 *                       to itself, CPU taken from the others where it shares them (a scorer beside ingest-service)
 */
public record RunnerOptions(int intraOpThreads, boolean preferGpu, int gpuDevice, boolean spinning) {

    /** Spinning as {@code vqa.ort.spinning} or $VQA_ORT_SPINNING say (default on). */
    public RunnerOptions(int intraOpThreads, boolean preferGpu, int gpuDevice) {
        this(intraOpThreads, preferGpu, gpuDevice, spinningConfigured());
    }

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
        return new RunnerOptions(threads, preferGpu, gpuDevice, spinning);
    }

    public RunnerOptions withSpinning(boolean spin) {
        return new RunnerOptions(intraOpThreads, preferGpu, gpuDevice, spin);
    }

    public RunnerOptions cpuOnly() {
        return new RunnerOptions(intraOpThreads, false, gpuDevice, spinning);
    }

    /** Whether intra-op threads spin while waiting for work: {@code vqa.ort.spinning} or $VQA_ORT_SPINNING, default true. */
    private static boolean spinningConfigured() {
        String v = System.getProperty("vqa.ort.spinning");
        if (v == null || v.isBlank()) {
            v = System.getenv("VQA_ORT_SPINNING");
        }
        return v == null || v.isBlank() || !v.trim().equalsIgnoreCase("false");
    }
}
