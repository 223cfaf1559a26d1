package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.onnx.BranchGraph.SegmentKind;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency planner's choice on a given table: the most damage avoided per millisecond, not the least damage. */
class LatencyAllocatorTest {

    /**
     * One stage of width 16 with block 0 (k=1) and block 1 (k=3), hidden 64 each: input 1, stem 1, head 1 ms; a k=1
     * block costs 10 ms at hidden 64 and 2 at hidden 8, a k=3 block 6 and 2 (linear in between). Full: 19 ms.
     */
    private static LatencyTable table() {
        List<LatencyTable.Entry> e = new ArrayList<>();
        e.add(entry(SegmentKind.INPUT, -1, 0, 0, 0, 1));
        e.add(entry(SegmentKind.STEM, -1, 16, 0, 0, 1));
        e.add(entry(SegmentKind.HEAD, -1, 16, 0, 0, 1));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 8, 1, 2));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 64, 1, 10));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 8, 3, 2));
        e.add(entry(SegmentKind.BLOCK, 0, 16, 64, 3, 6));
        LatencyTable.Header h = new LatencyTable.Header("test cpu", "AVX2", 2, "CPU", "1.29.0", 2, true,
                "1x3x32x224x224 uint8", "16[b0:1x64,b1:3x64] head8", 8, 0, 1, "2026-12-07T00:00:00Z", 0);
        return new LatencyTable(h, e, LatencyTable.Calibration.NONE);
    }

    private static LatencyTable.Entry entry(SegmentKind kind, int stage, int width, int hidden, int k, double ms) {
        return new LatencyTable.Entry(kind, stage, width, width, hidden, k, ms, ms, ms, ms, ms, 1);
    }

    private static final BranchSpec BASE = new BranchSpec(List.of(new StageSpec(16,
            List.of(new BlockSpec(0, 64, 1), new BlockSpec(1, 64, 3)))), 8);

    /** Levels of one block: keep, hidden 8, drop, with the given damages. */
    private static List<LatencyAllocator.Level> block(int index, double narrowDamage, double dropDamage) {
        return List.of(new LatencyAllocator.Level("keep", s -> s, 0),
                new LatencyAllocator.Level("hidden 8", s -> LatencyPlanner.withBlock(s, 0, index, 8), narrowDamage),
                new LatencyAllocator.Level("drop", s -> LatencyPlanner.withBlock(s, 0, index, 0), dropDamage));
    }

    @Test
    void keepsWhatBuysTheMostAccuracyPerMillisecond() {
        LatencyTable t = table();
        assertEquals(19, t.predictMs(BASE), 1e-9);
        // narrowing block 0 saves 8 ms for damage 0.12 (0.015 per ms); narrowing block 1 saves 4 ms for 0.10 (0.025):
        // the smaller damage is block 1's, the better buy block 0's
        List<List<LatencyAllocator.Level>> layers = List.of(block(0, 0.12, 0.9), block(1, 0.10, 0.9));
        LatencyAllocator.Allocation a = LatencyAllocator.allocate(BASE, layers, t, 15);
        assertArrayEquals(new int[] {1, 0}, a.chosen());
        assertEquals(11, a.predictedMs(), 1e-9);
        assertEquals("16[b0:1x8,b1:3x64] head8", a.spec().describe());

        // with block 1's narrowing cheap enough per ms it goes first, and alone meets a looser budget
        LatencyAllocator.Allocation b = LatencyAllocator.allocate(BASE, List.of(block(0, 0.12, 0.9), block(1, 0.04, 0.9)), t, 15);
        assertArrayEquals(new int[] {0, 1}, b.chosen());
        assertEquals(15, b.predictedMs(), 1e-9);
    }

    @Test
    void stepsBackWhatTheBudgetStillAllows() {
        // block 1 is the cheaper buy but saves only 4 ms; the budget (12) then needs block 0 too (3 ms, saving 8 more),
        // after which block 1 fits unnarrowed again, so it is stepped back
        List<List<LatencyAllocator.Level>> layers = List.of(block(0, 0.12, 0.9), block(1, 0.01, 0.9));
        LatencyAllocator.Allocation a = LatencyAllocator.allocate(BASE, layers, table(), 12);
        assertArrayEquals(new int[] {1, 0}, a.chosen());
        assertTrue(a.predictedMs() <= 12);
    }

    @Test
    void aBudgetNothingMeetsGivesTheMostPrunedPlanMarkedUnmet() {
        List<List<LatencyAllocator.Level>> layers = List.of(block(0, 0.1, 0.9), block(1, 0.1, 0.9));
        LatencyAllocator.Allocation a = LatencyAllocator.allocate(BASE, layers, table(), 2);
        assertFalse(a.met());
        assertArrayEquals(new int[] {2, 2}, a.chosen());
        assertEquals(3, a.predictedMs(), 1e-9);
        assertTrue(LatencyAllocator.allocate(BASE, layers, table(), 19).met());
    }

    @Test
    void aLatencyTargetIsItsOwnKindOfTarget() {
        PruneConfig c = PruneConfig.builder("layer-specific+channel", null).targetLatency(0.25).build();
        assertEquals(0.25, c.targetLatency());
        assertEquals(1.0, c.targetParams());
        assertNull(PruneConfig.builder("channel", 0.2).build().targetLatency());
        assertThrows(IllegalArgumentException.class, () -> PruneConfig.builder("layer-specific+channel", 0.2).targetLatency(0.25).build());
        assertThrows(IllegalArgumentException.class, () -> PruneConfig.builder("channel", null).targetLatency(0.25).build());
        assertThrows(IllegalArgumentException.class, () -> PruneConfig.builder("layer-specific", null).targetLatency(1.5).build());
    }
}
