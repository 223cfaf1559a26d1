package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetAllocatorTest {

    private static BudgetAllocator.Level level(long saved, double sensitivity) {
        return new BudgetAllocator.Level("l", saved, saved, sensitivity);
    }

    @Test
    void prunesTheLeastSensitiveLayersFirst() {
        List<List<BudgetAllocator.Level>> layers = List.of(
                List.of(level(0, 0), level(50, 0.9), level(100, 2.0)),
                List.of(level(0, 0), level(50, 0.1), level(100, 0.2)),
                List.of(level(0, 0), level(50, 0.5), level(100, 3.0)));
        assertArrayEquals(new int[] {0, 2, 0}, BudgetAllocator.allocate(layers, 100, 0));
        assertArrayEquals(new int[] {0, 2, 1}, BudgetAllocator.allocate(layers, 150, 150));
    }

    @Test
    void refusesAnImpossibleBudget() {
        List<List<BudgetAllocator.Level>> layers = List.of(List.of(level(0, 0), level(10, 1)));
        assertThrows(IllegalArgumentException.class, () -> BudgetAllocator.allocate(layers, 11, 0));
    }
}
