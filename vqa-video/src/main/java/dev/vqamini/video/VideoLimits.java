package dev.vqamini.video;

/**
 * What a video may be before we decode it. Keeps hostile or absurd inputs (a 60000 px wide stream,
 * a ten-hour file) from tying up memory and CPU.
 *
 * @param maxSide            the largest allowed width or height, in pixels
 * @param minSide            the smallest allowed width or height (fragments are 32 px; smaller is not a video)
 * @param maxDurationSeconds the longest allowed duration
 * @param maxFrames          the most frames a file may claim or deliver
 */
public record VideoLimits(int maxSide, int minSide, double maxDurationSeconds, int maxFrames) {

    public VideoLimits {
        if (minSide < 1 || maxSide < minSide || maxDurationSeconds <= 0 || maxFrames < 1) {
            throw new IllegalArgumentException("bad video limits: side " + minSide + ".." + maxSide + ", duration "
                    + maxDurationSeconds + " s, frames " + maxFrames);
        }
    }

    /** 8K on the long side, 16 px on the short side, 20 minutes, 72,000 frames (20 min at 60 fps). */
    public static VideoLimits defaults() {
        return new VideoLimits(8192, 16, 1200, 72_000);
    }

    public VideoLimits withMaxDurationSeconds(double seconds) {
        return new VideoLimits(maxSide, minSide, seconds, maxFrames);
    }

    public VideoLimits withMaxFrames(int frames) {
        return new VideoLimits(maxSide, minSide, maxDurationSeconds, frames);
    }

    public VideoLimits withMaxSide(int side) {
        return new VideoLimits(side, minSide, maxDurationSeconds, maxFrames);
    }
}
