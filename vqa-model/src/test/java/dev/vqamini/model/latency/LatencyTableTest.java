package dev.vqamini.model.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vqamini.clips.View;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.BranchGraph.Segment;
import dev.vqamini.model.onnx.BranchGraph.SegmentKind;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency table's logic: its segments are the whole graph's ops, a measured table (real ONNX Runtime sessions on a
 * tiny architecture and clip) covers every segment and round-trips through JSON, predictions sum and interpolate
 * its entries, the calibration fits, and the host's SIMD set chooses the channel multiple. No timed assertions.
 */
class LatencyTableTest {

    private static final BranchSpec TINY = BranchSpec.of(new int[] {8, 16, 16, 16}, new int[] {1, 2, 1, 2}, 8);

    @Test
    void theSegmentsTogetherRunExactlyTheOpsOfTheWholeGraph() {
        StateDict w = RandomWeights.branch(TINY, View.TECHNICAL, 3);
        BranchKeys keys = BranchKeys.of(View.TECHNICAL);
        Map<String, Integer> whole = opCounts(BranchGraph.build(TINY, w, keys, InputFormat.RGB_UINT8, Map.of()));
        Map<String, Integer> segments = new TreeMap<>();
        List<Segment> all = new ArrayList<>(List.of(new Segment(SegmentKind.INPUT, -1, -1), new Segment(SegmentKind.STEM, -1, -1),
                new Segment(SegmentKind.HEAD, -1, -1)));
        for (int s = 0; s < TINY.stages().size(); s++) {
            if (s > 0) {
                all.add(new Segment(SegmentKind.DOWNSAMPLE, s, -1));
            }
            for (BlockSpec b : TINY.stage(s).blocks()) {
                all.add(new Segment(SegmentKind.BLOCK, s, b.index()));
            }
        }
        for (Segment seg : all) {
            opCounts(BranchGraph.buildSegment(TINY, w, keys, seg)).forEach((op, n) -> segments.merge(op, n, Integer::sum));
        }
        whole.remove("Identity"); // graph outputs are named through Identity nodes
        segments.remove("Identity");
        assertEquals(whole, segments);
    }

    private static Map<String, Integer> opCounts(ModelProto m) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            counts.merge(n.getOpType(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aMeasuredTableCoversEverySegmentAndRoundTrips(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        LatencyTableMeasurer measurer = LatencyTableMeasurer.builder(new RunnerOptions(1, false, 0)).architecture(TINY)
                .clip(4, 64, 64).passes(1).warmups(0).repeats(1).gridPoints(1).progress(log::add).build();
        assertEquals(List.of(8, 16), measurer.grid(16));
        assertEquals(List.of(8, 32, 64), new ArrayList<>(LatencyTableMeasurer.builder(new RunnerOptions(1, false, 0))
                .gridPoints(2).build().grid(64)));
        LatencyTable t = measurer.measure();

        // input 1, stem 1 (grid 8), downsampling 2x2 + 2x2 + 2x2, blocks: stage 0 one kernel x 1 x 2 (hidden 8, 32),
        // stages 1-3 both kernels or one (stage 2 has only block 0: k=1) x 2 widths x 2 hidden widths, head 2
        long blocks = t.entries().stream().filter(e -> e.kind() == SegmentKind.BLOCK).count();
        assertEquals(2 + 8 + 4 + 8, blocks);
        for (SegmentKind kind : SegmentKind.values()) {
            assertTrue(t.entries().stream().anyMatch(e -> e.kind() == kind), "no " + kind + " entry");
        }
        assertTrue(t.entries().stream().allMatch(e -> e.minMs() > 0 && e.minMs() <= e.medianMs() && e.medianMs() <= e.maxMs()));
        assertEquals("1x3x4x64x64 uint8", t.header().clip());
        assertEquals("CPU", t.header().provider());
        assertFalse(t.header().ortVersion().isBlank());
        assertEquals(1, t.header().intraOpThreads());
        assertEquals(TINY.describe(), t.header().architecture());
        assertEquals(3, t.calibration().references().size());
        assertTrue(log.stream().anyMatch(m -> m.startsWith("calibration:")), String.join("\n", log));

        Path file = dir.resolve("table.json");
        t.write(file);
        LatencyTable back = LatencyTable.read(file);
        assertEquals(t, back);
        assertEquals(t.digest(), back.digest());
        assertEquals(t.predictMs(TINY), back.predictMs(TINY));

        Files.writeString(dir.resolve("other.json"), "{\"a\": 1}");
        assertThrows(java.io.IOException.class, () -> LatencyTable.read(dir.resolve("other.json")));
    }

    /** A hand-made table for a one-stage branch: input 1, stem 2, blocks by hidden width, head 0.5 ms. */
    private static LatencyTable handMade(LatencyTable.Calibration calibration) {
        List<LatencyTable.Entry> e = new ArrayList<>();
        e.add(entry(SegmentKind.INPUT, -1, 0, 0, 0, 1));
        e.add(entry(SegmentKind.STEM, -1, 8, 0, 0, 2));
        e.add(entry(SegmentKind.STEM, -1, 16, 0, 0, 4));
        e.add(entry(SegmentKind.BLOCK, 0, 8, 8, 1, 1));
        e.add(entry(SegmentKind.BLOCK, 0, 8, 64, 1, 8));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 8, 1, 2));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 64, 1, 16));
        e.add(entry(SegmentKind.HEAD, -1, 8, 0, 0, 0.5));
        e.add(entry(SegmentKind.HEAD, -1, 16, 0, 0, 0.5));
        LatencyTable.Header h = new LatencyTable.Header("test cpu", "AVX2", 2, "CPU", "1.29.0", 2, true, "1x3x32x224x224 uint8",
                "16[b0:1x64] head8", 8, 0, 1, "2026-12-07T00:00:00Z", 0);
        return new LatencyTable(h, e, calibration);
    }

    private static LatencyTable.Entry entry(SegmentKind kind, int stage, int width, int hidden, int k, double ms) {
        return new LatencyTable.Entry(kind, stage, width, width, hidden, k, ms * 2, ms, ms, ms * 2, ms * 3, 3);
    }

    @Test
    void predictionsSumTheSegmentsAndInterpolateBetweenGridPoints() {
        LatencyTable t = handMade(LatencyTable.Calibration.NONE);
        BranchSpec full = new BranchSpec(List.of(new StageSpec(16, List.of(new BlockSpec(0, 64, 1)))), 8);
        assertEquals(1 + 4 + 16 + 0.5, t.predictMs(full), 1e-9);
        assertEquals(2 * (1 + 4 + 16 + 0.5), t.predict(full).medianSumMs(), 1e-9);
        // hidden 36 is halfway between 8 and 64: 9 ms at width 16; width 12 halfway between 8 and 16 too
        BranchSpec half = new BranchSpec(List.of(new StageSpec(16, List.of(new BlockSpec(0, 36, 1)))), 8);
        assertEquals(1 + 4 + 9 + 0.5, t.predictMs(half), 1e-9);
        BranchSpec narrow = new BranchSpec(List.of(new StageSpec(12, List.of(new BlockSpec(0, 64, 1)))), 8);
        assertEquals(1 + 3 + 12 + 0.5, t.predictMs(narrow), 1e-9);
        // beyond the grid: extrapolated from the two nearest points (hidden 120 = 64 + 56: 16 + 14 ms)
        BranchSpec wide = new BranchSpec(List.of(new StageSpec(16, List.of(new BlockSpec(0, 120, 1)))), 8);
        assertEquals(1 + 4 + 30 + 0.5, t.predictMs(wide), 1e-9);
        BranchSpec noBlocks = new BranchSpec(List.of(new StageSpec(16, List.of())), 8);
        assertEquals(5.5, t.predictMs(noBlocks), 1e-9);
        BranchSpec k3 = new BranchSpec(List.of(new StageSpec(16, List.of(new BlockSpec(1, 64, 3)))), 8);
        assertThrows(IllegalArgumentException.class, () -> t.predictMs(k3));

        LatencyTable calibrated = handMade(new LatencyTable.Calibration(10, 2, List.of()));
        assertEquals(10 + 2 * 21.5, calibrated.predictMs(full), 1e-9);
        assertEquals(21.5, calibrated.predict(full).segmentSumMs(), 1e-9);
    }

    @Test
    void theCalibrationIsTheLeastSquaresLineOrTheMedianOverhead() {
        LatencyTable.Calibration c = LatencyTable.Calibration.fit(List.of(new LatencyTable.Reference("a", 100, 215),
                new LatencyTable.Reference("b", 50, 115), new LatencyTable.Reference("c", 20, 55)));
        assertEquals(15, c.offsetMs(), 1e-9);
        assertEquals(2, c.scale(), 1e-9);
        assertEquals(215, c.apply(100), 1e-9);
        // one reference, or a line that falls: scale 1 and the median overhead
        assertEquals(112, LatencyTable.Calibration.fit(List.of(new LatencyTable.Reference("a", 100, 112))).apply(100), 1e-9);
        LatencyTable.Calibration falling = LatencyTable.Calibration.fit(List.of(new LatencyTable.Reference("a", 100, 110),
                new LatencyTable.Reference("b", 50, 130), new LatencyTable.Reference("c", 20, 150)));
        assertEquals(1, falling.scale(), 1e-9);
        assertEquals(80, falling.offsetMs(), 1e-9);
        assertEquals(0, LatencyTable.Calibration.fit(List.of()).offsetMs(), 1e-9);
        // a line that would predict a negative time for a small graph: the best line through the origin instead
        LatencyTable.Calibration steep = LatencyTable.Calibration.fit(List.of(new LatencyTable.Reference("a", 1.0, 1.3),
                new LatencyTable.Reference("b", 0.9, 0.8), new LatencyTable.Reference("c", 0.8, 0.3)));
        assertEquals(0, steep.offsetMs(), 1e-9);
        assertTrue(steep.apply(0.05) > 0, "never a time at or below zero: " + steep);
    }

    @Test
    void theHostsSimdSetChoosesTheChannelMultiple() {
        HostCpu avx512 = HostCpu.parse(List.of("model name\t: Some Xeon", "flags\t\t: fpu sse avx avx2 avx512f avx512bw"), 2);
        assertEquals("Some Xeon", avx512.model());
        assertEquals("AVX-512", avx512.simd());
        assertEquals(16, avx512.channelMultiple());
        HostCpu avx2 = HostCpu.parse(List.of("model name\t: Some Core", "flags\t\t: fpu sse avx avx2 fma"), 4);
        assertEquals("AVX2", avx2.simd());
        assertEquals(8, avx2.channelMultiple());
        assertEquals("unknown", HostCpu.parse(List.of(), 1).simd());
    }
}
