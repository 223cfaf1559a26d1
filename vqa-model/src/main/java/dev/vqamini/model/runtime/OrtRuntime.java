package dev.vqamini.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The process-wide ONNX Runtime environment and the session options every model uses: full graph
 * optimisation, memory arena on and memory patterns off, intra-op spinning as {@link RunnerOptions#spinning()} says,
 * CUDA when asked for and usable, CPU otherwise (logged once).
 */
public final class OrtRuntime {

    private static final Logger LOG = Logger.getLogger(OrtRuntime.class.getName());
    private static final AtomicBoolean PROVIDER_LOGGED = new AtomicBoolean();

    private OrtRuntime() {
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Creates a session for {@code onnx} bytes; the returned provider name says where it runs. */
    public static Session open(byte[] onnx, RunnerOptions options) throws OrtException {
        return open(onnx, options, OptimizedModelCache.configured());
    }

    /**
     * Creates a session, reusing the graph ONNX Runtime optimised for these bytes on an earlier open when
     * {@code cache} is given (CPU sessions only: a CUDA session's graph is partitioned for its device).
     */
    public static Session open(byte[] onnx, RunnerOptions options, OptimizedModelCache cache) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // Memory patterns pre-plan one block for all of a shape's activations; without them the arena reuses
            // freed chunks. Measured (2 threads, one 32x224x224 clip): peak 227 -> 194 MB full, 130 -> 79 MB pruned
            // to 20 %, latency unchanged. Turning the arena off instead doubled latency and raised the peak.
            so.setMemoryPatternOptimization(false);
            if (!options.spinning()) {
                // Idle intra-op threads then sleep instead of spinning between ops: on a shared or oversubscribed
                // CPU fewer CPU-seconds (energy) per clip; on an idle one ~2 % more latency (docs/benchmarks.md).
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            String profile = System.getProperty("vqa.ort.profile");
            if (profile != null) {
                so.enableProfiling(profile); // per-operator timings as Chrome trace JSON, for performance work
            }
            String provider = "CPU";
            if (options.preferGpu()) {
                try {
                    // Listing providers does not detect a GPU; only adding CUDA tells (it throws when unusable).
                    so.addCUDA(options.gpuDevice());
                    provider = "CUDA:" + options.gpuDevice();
                } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
                    provider = "CPU (CUDA unavailable: " + firstLine(e.getMessage()) + ")";
                }
            }
            OrtSession session;
            if (cache != null && provider.startsWith("CPU")) {
                session = cache.open(onnx, so);
            } else {
                session = environment().createSession(onnx, so);
            }
            if (PROVIDER_LOGGED.compareAndSet(false, true)) {
                LOG.info("ONNX Runtime " + environment().getVersion() + " on " + provider
                        + ", " + options.intraOpThreads() + " intra-op threads" + (options.spinning() ? "" : ", not spinning"));
            }
            return new Session(session, provider);
        } finally {
            so.close();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** An open session and the provider it runs on. */
    public record Session(OrtSession session, String provider) implements AutoCloseable {
        @Override
        public void close() throws OrtException {
            session.close();
        }
    }
}
