package dev.vqamini.views;

import java.util.SplittableRandom;
import java.util.Locale;

/**
 * How the samplers pick the offsets upstream DOVER draws uniformly from {@code [0, range)} (temporal segment starts
 * and in-cell fragment positions alike).
 * <ul>
 *   <li>{@link #RANDOM}: upstream's behaviour, uniform in {@code [0, range)}, from a generator seeded by the caller
 *       (same seed, same video: same views).</li>
 *   <li>{@link #CENTRE}: every such offset is {@code range / 2} (integer division), nothing random: the views
 *       upstream would see if each draw landed in the middle. For regression tests and reproducible scores.</li>
 * </ul>
 */
public enum OffsetMode {
    RANDOM("random"),
    CENTRE("centre");

    private final String cliName;

    OffsetMode(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on command lines, in config and in JSON ({@code random}, {@code centre}). */
    public String cliName() {
        return cliName;
    }

    /** Parses {@code random} or {@code centre} (also {@code center}), case-insensitively. */
    public static OffsetMode parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "random" -> RANDOM;
            case "centre", "center" -> CENTRE;
            default -> throw new IllegalArgumentException("offsets '" + text + "': expected random or centre");
        };
    }

    /** An offset source of this mode; {@code random} is used only by {@link #RANDOM}. */
    public OffsetSource source(SplittableRandom random) {
        return this == RANDOM ? random::nextInt : range -> range / 2;
    }

    /** Picks an offset in {@code [0, range)} (range > 0). */
    @FunctionalInterface
    public interface OffsetSource {
        int offset(int range);
    }
}
