package dev.vqamini.views;

import dev.vqamini.video.FrameReader;
import dev.vqamini.video.VideoLimits;

/**
 * Everything that decides how a video becomes its two views.
 *
 * @param technical   temporal sampler of the technical view (test time: thirds of the video, 32 frames at stride 2 from each)
 * @param aesthetic   temporal sampler of the aesthetic view (1 frame per segment, 32 segments, 1 clip)
 * @param offsetMode  random (upstream, seeded) or centre offsets
 * @param limits      what input is accepted
 * @param seekGap     frames beyond which the decoder seeks instead of decoding through (0: never seek)
 */
public record ViewSettings(UnifiedFrameSampler technical, UnifiedFrameSampler aesthetic, OffsetMode offsetMode,
                           VideoLimits limits, int seekGap) {

    /** DOVER's test-time views with seeded random offsets and default limits. */
    public static ViewSettings defaults() {
        return new ViewSettings(UnifiedFrameSampler.technical(), UnifiedFrameSampler.aesthetic(), OffsetMode.RANDOM,
                VideoLimits.defaults(), FrameReader.DEFAULT_SEEK_GAP);
    }

    public ViewSettings withOffsetMode(OffsetMode mode) {
        return new ViewSettings(technical, aesthetic, mode, limits, seekGap);
    }

    public ViewSettings withLimits(VideoLimits l) {
        return new ViewSettings(technical, aesthetic, offsetMode, l, seekGap);
    }

    public ViewSettings withSeekGap(int gap) {
        return new ViewSettings(technical, aesthetic, offsetMode, limits, gap);
    }
}
