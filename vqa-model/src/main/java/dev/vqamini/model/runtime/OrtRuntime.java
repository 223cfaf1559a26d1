package dev.vqamini.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Stack for the threads that initialise ONNX Runtime and build its sessions (see {@link #onLargeStack}). */
    static final long NATIVE_STACK_BYTES = 64L << 20;

    public static OrtEnvironment environment() {
        return Environment.INSTANCE;
    }

    /** Created once, on a large stack, the first time anyone asks. */
    private static final class Environment {
        static final OrtEnvironment INSTANCE = onLargeStackUnchecked(OrtEnvironment::getEnvironment);
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
        try {
            return onLargeStack(() -> openHere(onnx, options, cache));
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ONNX Runtime built a session", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Session openHere(byte[] onnx, RunnerOptions options, OptimizedModelCache cache) throws OrtException {
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
            Device device = Device.CPU;
            if (options.preferGpu()) {
                try {
                    // Listing providers does not detect a GPU; only adding CUDA tells (it throws when unusable).
                    so.addCUDA(options.gpuDevice());
                    provider = "CUDA:" + options.gpuDevice();
                    device = Device.CUDA;
                } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
                    provider = "CPU (CUDA unavailable: " + firstLine(e.getMessage()) + ")";
                }
            }
            OrtSession session;
            if (cache != null && device == Device.CPU) {
                session = cache.open(onnx, so);
            } else {
                session = environment().createSession(onnx, so);
            }
            if (PROVIDER_LOGGED.compareAndSet(false, true)) {
                LOG.info("ONNX Runtime " + environment().getVersion() + " on " + provider
                        + ", " + options.intraOpThreads() + " intra-op threads" + (options.spinning() ? "" : ", not spinning"));
            }
            return new Session(session, provider, device);
        } finally {
            so.close();
        }
    }

    /**
     * Runs {@code work} on a fresh thread with a {@link #NATIVE_STACK_BYTES} stack and waits for it. ONNX Runtime
     * 1.29's initialisation and session creation can need more native stack than a JVM thread's default 1 MB: a CLI
     * started with a long explicit class path died of SIGSEGV at its main thread's stack guard creating the first
     * session (no hs_err file), and ran with -Xss8m. Every caller (CLI main threads, service workers, tests) gets the
     * same room this way, whatever its own stack.
     */
    static <T> T onLargeStack(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "ort-native", NATIVE_STACK_BYTES);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }

    private static <T> T onLargeStackUnchecked(Callable<T> work) {
        try {
            return onLargeStack(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ONNX Runtime could not start: " + e.getMessage(), e);
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
    public record Session(OrtSession session, String provider, Device device) implements AutoCloseable {
        @Override
        public void close() throws OrtException {
            session.close();
        }
    }
}
