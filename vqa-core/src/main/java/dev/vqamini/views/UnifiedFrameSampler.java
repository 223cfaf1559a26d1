package dev.vqamini.views;

/**
 * DOVER's temporal sampler, {@code UnifiedFrameSampler(fsize_t, fragments_t, frame_interval, num_clips)}: the
 * F frames are split into {@code fragmentsT} segments of length L = F / fragmentsT; each segment contributes
 * {@code fsizeT} frames {@code interval} apart, starting at an offset in [0, L - fsizeT*interval) when that range is
 * positive, else 0; clips repeat this with fresh offsets; all indices are taken modulo F (short videos wrap).
 * Test-time settings: technical (32, 1, 2, 3), aesthetic (1, 32, 2, 1).
 */
public record UnifiedFrameSampler(int fsizeT, int fragmentsT, int interval, int numClips) {

    public UnifiedFrameSampler {
        if (fsizeT < 1 || fragmentsT < 1 || interval < 1 || numClips < 1) {
            throw new IllegalArgumentException("UnifiedFrameSampler(" + fsizeT + ", " + fragmentsT + ", " + interval
                    + ", " + numClips + "): all must be >= 1");
        }
    }

    /** The technical view at test time: 3 clips of 32 frames at stride 2. */
    public static UnifiedFrameSampler technical() {
        return new UnifiedFrameSampler(32, 1, 2, 3);
    }

    /** The aesthetic view: one clip of 32 frames spread over the whole video. */
    public static UnifiedFrameSampler aesthetic() {
        return new UnifiedFrameSampler(1, 32, 2, 1);
    }

    /** Frames per clip, fsizeT * fragmentsT. */
    public int clipLength() {
        return fsizeT * fragmentsT;
    }

    /**
     * Frame indices, one row per clip, each in [0, totalFrames).
     *
     * @param offsets picks each segment's start offset as {@code offset(clip, numClips, range)}, called once per segment
     *                (random sources draw afresh each time; deterministic ones spread clips and repeat within a clip)
     */
    public int[][] sample(int totalFrames, OffsetMode.OffsetSource offsets) {
        if (totalFrames < 1) {
            throw new IllegalArgumentException("cannot sample frames from an empty video");
        }
        int length = totalFrames / fragmentsT;
        int range = length - fsizeT * interval;
        int[][] clips = new int[numClips][clipLength()];
        for (int c = 0; c < numClips; c++) {
            for (int s = 0; s < fragmentsT; s++) {
                int start = range > 0 ? offsets.offset(c, numClips, range) : 0;
                int base = length * s + start;
                for (int k = 0; k < fsizeT; k++) {
                    clips[c][s * fsizeT + k] = (base + k * interval) % totalFrames;
                }
            }
        }
        return clips;
    }
}
