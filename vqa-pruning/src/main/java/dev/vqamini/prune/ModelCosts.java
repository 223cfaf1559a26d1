package dev.vqamini.prune;

import dev.vqamini.model.onnx.GraphNames;
import ai.onnxruntime.OrtException;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.EnergyMeter;
import dev.vqamini.model.runtime.ResidentMemory;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.clips.View;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * What a model version costs, measured on what is physically there: parameters present and non-zero, FLOPs per
 * clip, ONNX bytes (plain and deflate-compressed, which is where unstructured sparsity shows), CPU latency of
 * one 32 x 224 x 224 technical clip (median of timed runs after a warm-up) and the resident memory that session and
 * runs add at their peak ({@link ResidentMemory}; in a busy process this is approximate, {@code vqa bench} measures
 * it in fresh processes).
 */
public record ModelCosts(long parametersPresent, long parametersNonZero, long flopsPerClip, long onnxBytes,
                         long onnxCompressedBytes, double latencySecondsPerClip, long peakMemoryBytes) {

    public static ModelCosts measure(ModelDefinition model, RunnerOptions options, int repeats) {
        ModelComplexity c = ModelComplexity.of(model.spec(), 32, 224, 224);
        long bytes = 0;
        long compressed = 0;
        for (View v : View.values()) {
            byte[] onnx = QualityModel.onnx(model, v, InputFormat.RGB_UINT8);
            bytes += onnx.length;
            compressed += deflatedSize(onnx);
        }
        ResidentMemory.Measured<Double> latency;
        try {
            latency = ResidentMemory.measure(() -> latency(model, options, repeats));
        } catch (Exception e) {
            throw new IllegalStateException("measuring " + model.version() + " failed: " + e.getMessage(), e);
        }
        return new ModelCosts(c.parameters(), UnstructuredPruner.nonZero(model.weights()), c.flops(), bytes, compressed,
                latency.value(), latency.peakBytes());
    }

    /** Median seconds of the technical branch on one 1 x 3 x 32 x 224 x 224 uint8 clip. */
    public static double latency(ModelDefinition model, RunnerOptions options, int repeats) {
        try {
            return latency(QualityModel.onnx(model, View.TECHNICAL, InputFormat.RGB_UINT8), options, repeats);
        } catch (OrtException e) {
            throw new IllegalStateException("latency measurement of " + model.version() + " failed: " + e.getMessage(), e);
        }
    }

    /** Median seconds of a uint8-input branch graph on one 1 x 3 x 32 x 224 x 224 clip. */
    public static double latency(byte[] onnx, RunnerOptions options, int repeats) throws OrtException {
        return latencyAndEnergy(onnx, options, repeats, EnergyMeter.system()).latencySecondsPerClip();
    }

    /** Median latency and mean energy (RAPL or CPU-seconds, see {@link EnergyMeter}) of one clip. */
    public record ClipCost(double latencySecondsPerClip, EnergyMeter.Usage perClip) {
    }

    /** The median seconds of {@link #latency(byte[], RunnerOptions, int)} and the energy of the timed runs per clip. */
    public static ClipCost latencyAndEnergy(byte[] onnx, RunnerOptions options, int repeats, EnergyMeter meter) throws OrtException {
        long[] shape = {1, 3, 32, 224, 224};
        byte[] pixels = new byte[3 * 32 * 224 * 224];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        try (BranchRunner runner = new BranchRunner(onnx, GraphNames.PIXELS, options)) {
            runner.runPixels(pixels, shape);
            double[] times = new double[repeats];
            EnergyMeter.Sample start = meter.sample();
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                runner.runPixels(pixels, shape);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            EnergyMeter.Usage used = meter.since(start);
            Arrays.sort(times);
            return new ClipCost(times[repeats / 2], used.per(repeats));
        }
    }

    private static long deflatedSize(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[1 << 16];
        long n = 0;
        while (!d.finished()) {
            n += d.deflate(buf);
        }
        d.end();
        return n;
    }
}
