package dev.vqamini.model.runtime;

import dev.vqamini.model.onnx.GraphNames;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import ai.onnxruntime.NodeInfo;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one branch graph in one reused ONNX Runtime session. Input bytes are staged in a direct buffer that
 * is kept per thread and only grows, so steady-state calls allocate no large buffers on the Java side.
 * Thread-safe: ONNX Runtime sessions accept concurrent {@code run} calls.
 */
public final class BranchRunner implements AutoCloseable {

    /** Sessions open in this process: a leak shows as growth over a soak run. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final OrtRuntime.Session session;
    private final String inputName;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ThreadLocal<ByteBuffer> staging = new ThreadLocal<>();

    public BranchRunner(byte[] onnx, String inputName, RunnerOptions options) throws OrtException {
        this.session = OrtRuntime.open(onnx, options);
        this.inputName = inputName;
        OPEN.incrementAndGet();
    }

    /** ONNX Runtime sessions open in this process. */
    public static int openSessions() {
        return OPEN.get();
    }

    /** The graph's inputs and outputs as the session sees them (name to shape and type), to check a graph before use. */
    public Map<String, NodeInfo> inputs() throws OrtException {
        return session.session().getInputInfo();
    }

    public Map<String, NodeInfo> outputs() throws OrtException {
        return session.session().getOutputInfo();
    }

    /** The graph's metadata properties (provenance, version, spec). */
    public Map<String, String> metadata() throws OrtException {
        return session.session().getMetadata().getCustomMetadata();
    }

    /** Ends profiling (a session opened with {@code vqa.ort.profile} set) and returns the trace file's path. */
    public String endProfiling() throws OrtException {
        return session.session().endProfiling();
    }

    /** Where the session runs, e.g. "CPU" or "CUDA:0". */
    public String provider() {
        return session.provider();
    }

    public Device device() {
        return session.device();
    }

    /** Runs uint8 RGB clips, N x 3 x T x H x W. */
    public BranchOutput runPixels(byte[] pixels, long[] shape) throws OrtException {
        ByteBuffer buf = staging(pixels.length);
        buf.put(pixels).flip();
        try (OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), buf, shape, OnnxJavaType.UINT8)) {
            return run(t);
        }
    }

    /** Runs normalised float32 clips, N x 3 x T x H x W. */
    public BranchOutput runFloats(float[] input, long[] shape) throws OrtException {
        ByteBuffer buf = staging(4 * input.length);
        buf.asFloatBuffer().put(input);
        buf.limit(4 * input.length);
        try (OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), buf.asFloatBuffer(), shape)) {
            return run(t);
        }
    }

    private BranchOutput run(OnnxTensor input) throws OrtException {
        try (OrtSession.Result r = session.session().run(Map.of(inputName, input))) {
            OnnxTensor map = (OnnxTensor) r.get(GraphNames.HEAD_MAP).orElseThrow();
            Map<String, float[]> extras = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                if (e.getKey().startsWith("probe.") && e.getValue() instanceof OnnxTensor t) {
                    extras.put(e.getKey(), floats(t));
                }
            }
            // graphs not built here (e.g. a torch export) have no feature outputs
            return new BranchOutput(floats(map), map.getInfo().getShape(), floats((OnnxTensor) r.get(GraphNames.SCORE).orElseThrow()),
                    optionalOutput(r, GraphNames.FEATURES), optionalOutput(r, GraphNames.POSITION_FEATURES), extras);
        }
    }

    private static float[] optionalOutput(OrtSession.Result r, String name) {
        return r.get(name).orElse(null) instanceof OnnxTensor t ? floats(t) : new float[0];
    }

    private static float[] floats(OnnxTensor t) {
        float[] v = new float[Math.toIntExact(t.getInfo().getNumElements())];
        t.getFloatBuffer().get(v);
        return v;
    }

    private ByteBuffer staging(int bytes) {
        ByteBuffer buf = staging.get();
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            staging.set(buf);
        }
        buf.clear();
        return buf;
    }

    @Override
    public void close() throws OrtException {
        if (closed.compareAndSet(false, true)) {
            OPEN.decrementAndGet();
            session.close();
        }
    }
}
