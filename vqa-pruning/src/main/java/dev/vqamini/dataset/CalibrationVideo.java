package dev.vqamini.dataset;

import dev.vqamini.clips.VideoViews;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * One video of a calibration set: its id, its human score when known, and its views, produced on demand
 * (decoded from a file, or taken from fragments already sampled) so a large set need not sit in memory.
 */
public record CalibrationVideo(String id, OptionalDouble mos, Supplier<VideoViews> views) {
}
