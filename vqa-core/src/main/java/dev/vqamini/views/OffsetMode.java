package dev.vqamini.views;

import java.util.SplittableRandom;

/**
 * How the samplers pick start offsets inside their allowed ranges.
 * <ul>
 *   <li>{@link #RANDOM}: upstream DOVER's behaviour, offsets uniform in {@code [0, range)}, drawn from a generator
 *       seeded by the caller (same seed, same video: same views).</li>
 *   <li>{@link #DETERMINISTIC}: no randomness at all; clip {@code c} of {@code n} starts at
 *       {@code range * (c + 1) / (n + 1)} (one clip: centred; three clips: at 1/4, 1/2, 3/4), and spatial patches sit in
 *       the middle of their cells. Useful for regression tests and for scores that must not move with the seed.</li>
 * </ul>
 */
public enum OffsetMode {
    RANDOM,
    DETERMINISTIC;

    /** An offset source of this mode; {@code random} is used only by {@link #RANDOM}. */
    public OffsetSource source(SplittableRandom random) {
        return this == RANDOM ? (index, count, range) -> random.nextInt(range)
                : (index, count, range) -> (int) ((long) range * (index + 1) / (count + 1));
    }

    /** Picks an offset in {@code [0, range)} for item {@code index} of {@code count} (range > 0). */
    @FunctionalInterface
    public interface OffsetSource {
        int offset(int index, int count, int range);
    }
}
