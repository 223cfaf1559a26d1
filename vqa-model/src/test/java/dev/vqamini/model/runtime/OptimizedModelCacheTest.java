package dev.vqamini.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.vqamini.model.onnx.GraphNames;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimised graph written on first open, reused on the next, and giving the same head map as a fresh session. */
class OptimizedModelCacheTest {

    @TempDir
    Path dir;

    private static final long[] SHAPE = {1, 3, 4, 64, 64};
    private static final RunnerOptions CPU = new RunnerOptions(1, false, 0);

    private static byte[] graph(long seed) {
        return TinyGraphs.technical("tiny-cache", seed);
    }

    private static float[] headMap(OrtRuntime.Session s) throws Exception {
        byte[] pixels = new byte[3 * 4 * 64 * 64];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(pixels.length).put(pixels).flip();
        try (OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), buf, SHAPE, OnnxJavaType.UINT8);
             OrtSession.Result res = s.session().run(Map.of(GraphNames.PIXELS, t))) {
            OnnxTensor map = (OnnxTensor) res.get(GraphNames.HEAD_MAP).orElseThrow();
            float[] v = new float[(int) map.getInfo().getNumElements()];
            map.getFloatBuffer().get(v);
            return v;
        }
    }

    private long cachedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".optimized.onnx")).count();
        }
    }

    @Test
    void writesTheOptimisedGraphOnceAndReusesItWithTheSameOutputs() throws Exception {
        byte[] onnx = graph(3);
        OptimizedModelCache cache = new OptimizedModelCache(dir);
        Path file = cache.fileFor(onnx);
        assertFalse(Files.exists(file));
        float[] fresh;
        try (OrtRuntime.Session s = OrtRuntime.open(onnx, CPU, null)) {
            fresh = headMap(s);
        }
        float[] first;
        try (OrtRuntime.Session s = OrtRuntime.open(onnx, CPU, cache)) {
            first = headMap(s);
        }
        assertTrue(Files.size(file) > 0, "optimised graph written");
        long written = Files.getLastModifiedTime(file).toMillis();
        float[] second;
        try (OrtRuntime.Session s = OrtRuntime.open(onnx, CPU, cache)) {
            second = headMap(s);
        }
        assertTrue(Files.getLastModifiedTime(file).toMillis() == written, "reused, not rewritten");
        assertArrayEquals(fresh, first, 1e-6f);
        assertArrayEquals(fresh, second, 1e-6f);
        assertTrue(cachedFiles() == 1, "one file, no temporary left behind");
        // another graph gets its own file
        assertNotEquals(file, cache.fileFor(graph(4)));
    }

    @Test
    void aDamagedCachedGraphIsReplaced() throws Exception {
        byte[] onnx = graph(5);
        OptimizedModelCache cache = new OptimizedModelCache(dir);
        Path file = cache.fileFor(onnx);
        Files.createDirectories(dir);
        Files.write(file, new byte[] {1, 2, 3, 4});
        float[] out;
        try (OrtRuntime.Session s = OrtRuntime.open(onnx, CPU, cache)) {
            out = headMap(s);
        }
        float[] fresh;
        try (OrtRuntime.Session s = OrtRuntime.open(onnx, CPU, null)) {
            fresh = headMap(s);
        }
        assertArrayEquals(fresh, out, 1e-6f);
        assertTrue(Files.size(file) > 4, "rewritten");
    }
}
