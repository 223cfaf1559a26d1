package dev.vqamini.views;

import java.util.Arrays;

/**
 * DOVER's temporal sampler, {@code UnifiedFrameSampler(fsize_t, fragments_t, frame_interval, num_clips)}: the F
 * frames are split into {@code fragmentsT} segments of length L = F / fragmentsT; segment i contributes
 * {@code fsizeT} frames {@code interval} apart, starting at i*L plus an offset in [0, L - fsizeT*interval) when that
 * range is positive, else 0; this repeats {@code numClips} times with fresh offsets; all indices are taken modulo F
 * (short videos wrap around). The model consumes the result in clips of {@link #CLIP_FRAMES}.
 *
 * <p>Test-time settings as upstream runs them: technical (32, 3, 2, 1): upstream passes {@code (clip_len, num_clips,
 * frame_interval)} positionally, so the video is cut into thirds and clip c is 32 frames from third c; aesthetic
 * (1, 32, 2, 1): one frame from each 1/32 of the video.
 */
public record UnifiedFrameSampler(int fsizeT, int fragmentsT, int interval, int numClips) {

    /** Frames per model clip (upstream's {@code aligned} / {@code clip_len}). */
    public static final int CLIP_FRAMES = 32;

    public UnifiedFrameSampler {
        if (fsizeT < 1 || fragmentsT < 1 || interval < 1 || numClips < 1) {
            throw new IllegalArgumentException("UnifiedFrameSampler(" + fsizeT + ", " + fragmentsT + ", " + interval
                    + ", " + numClips + "): all must be >= 1");
        }
        if ((long) fsizeT * fragmentsT * numClips % CLIP_FRAMES != 0) {
            throw new IllegalArgumentException("UnifiedFrameSampler(" + fsizeT + ", " + fragmentsT + ", " + interval
                    + ", " + numClips + ") samples " + fsizeT * fragmentsT * numClips + " frames, not a multiple of "
                    + CLIP_FRAMES + " (frames per clip)");
        }
    }

    /** The technical view at test time: thirds of the video, 32 frames at stride 2 from each (3 clips). */
    public static UnifiedFrameSampler technical() {
        return new UnifiedFrameSampler(32, 3, 2, 1);
    }

    /** The aesthetic view: one clip of 32 frames spread over the whole video. */
    public static UnifiedFrameSampler aesthetic() {
        return new UnifiedFrameSampler(1, 32, 2, 1);
    }

    /** How many model clips of {@link #CLIP_FRAMES} frames one sampling yields. */
    public int clipCount() {
        return fsizeT * fragmentsT * numClips / CLIP_FRAMES;
    }

    /**
     * All sampled frame indices in upstream's order (clip by clip, segment by segment), each in [0, totalFrames).
     *
     * @param offsets picks each segment's start offset, once per segment and clip
     */
    public int[] sample(int totalFrames, OffsetMode.OffsetSource offsets) {
        if (totalFrames < 1) {
            throw new IllegalArgumentException("cannot sample frames from an empty video");
        }
        int length = totalFrames / fragmentsT;
        int range = length - fsizeT * interval;
        int[] idx = new int[numClips * fragmentsT * fsizeT];
        int i = 0;
        for (int c = 0; c < numClips; c++) {
            for (int s = 0; s < fragmentsT; s++) {
                int base = length * s + (range > 0 ? offsets.offset(range) : 0);
                for (int k = 0; k < fsizeT; k++) {
                    idx[i++] = (int) (((long) base + (long) k * interval) % totalFrames);
                }
            }
        }
        return idx;
    }

    /** {@link #sample} cut into model clips: {@code clipCount()} rows of {@link #CLIP_FRAMES} indices. */
    public int[][] clips(int totalFrames, OffsetMode.OffsetSource offsets) {
        int[] idx = sample(totalFrames, offsets);
        int[][] clips = new int[clipCount()][];
        for (int c = 0; c < clips.length; c++) {
            clips[c] = Arrays.copyOfRange(idx, c * CLIP_FRAMES, (c + 1) * CLIP_FRAMES);
        }
        return clips;
    }
}
