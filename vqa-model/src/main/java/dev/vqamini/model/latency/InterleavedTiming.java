package dev.vqamini.model.latency;

import ai.onnxruntime.OrtException;
import dev.vqamini.model.onnx.GraphNames;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.EnergyMeter;
import dev.vqamini.model.runtime.RunnerOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times whole uint8-input branch graphs on one clip, interleaved in one process (A, B, C, A, B, C, ...): on a shared
 * host the drift falls on every graph alike, so their ratios hold where absolute times do not. Each turn runs its graph
 * twice and times the second run: warm, as a scorer serving one version runs it.
 */
public final class InterleavedTiming {

    private InterleavedTiming() {
    }

    /**
     * One graph's timed runs.
     *
     * @param cpuSecondsPerClip this process's CPU-seconds over the graph's timed runs, per run
     * @param runsMs            every timed run, in round order
     */
    public record Timing(double medianMs, double minMs, double p25Ms, double p75Ms, double cpuSecondsPerClip, int runs,
                         double[] runsMs) {
    }

    /**
     * The median over rounds of {@code b}'s time over {@code a}'s in the same round: each pair ran back to back, so a
     * burst of load elsewhere falls on both, where minima or medians taken apart can come from different moments.
     */
    public static double pairedRatio(Timing a, Timing b) {
        int n = Math.min(a.runsMs().length, b.runsMs().length);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = b.runsMs()[i] / a.runsMs()[i];
        }
        Arrays.sort(r);
        return n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
    }

    /** Each graph opened once, {@code warmups} rounds untimed, then {@code repeats} rounds of a warm-up and a timed run. */
    public static List<Timing> time(List<byte[]> graphs, RunnerOptions options, int frames, int height, int width,
                                    int warmups, int repeats) throws OrtException {
        long[] shape = {1, 3, frames, height, width};
        byte[] pixels = new byte[3 * frames * height * width];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        List<BranchRunner> runners = new ArrayList<>();
        EnergyMeter cpu = EnergyMeter.system();
        try {
            for (byte[] g : graphs) {
                runners.add(new BranchRunner(g, GraphNames.PIXELS, options));
            }
            for (int w = 0; w < warmups; w++) {
                for (BranchRunner runner : runners) {
                    runner.runPixels(pixels, shape);
                }
            }
            double[][] ms = new double[graphs.size()][repeats];
            double[] cpuSeconds = new double[graphs.size()];
            for (int i = 0; i < repeats; i++) {
                for (int g = 0; g < runners.size(); g++) {
                    // One untimed run first brings this graph's weights and buffers back into the caches, as a scorer
                    // serving it back to back has them: timed straight after another graph, a small graph measured
                    // 17-20 % slower than alone (l0.25: 67.8 ms against 57.5 ms) while the unpruned one did not move.
                    runners.get(g).runPixels(pixels, shape);
                    EnergyMeter.Sample start = cpu.sample();
                    long t = System.nanoTime();
                    runners.get(g).runPixels(pixels, shape);
                    ms[g][i] = (System.nanoTime() - t) / 1e6;
                    cpuSeconds[g] += cpu.since(start).cpuSeconds();
                }
            }
            List<Timing> out = new ArrayList<>();
            for (int g = 0; g < graphs.size(); g++) {
                double[] s = ms[g].clone();
                Arrays.sort(s);
                out.add(new Timing(s[repeats / 2], s[0], s[repeats / 4], s[(3 * repeats) / 4], cpuSeconds[g] / repeats, repeats,
                        ms[g].clone()));
            }
            return out;
        } finally {
            for (BranchRunner runner : runners) {
                runner.close();
            }
        }
    }
}
