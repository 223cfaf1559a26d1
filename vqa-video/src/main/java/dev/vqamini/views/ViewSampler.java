package dev.vqamini.views;

import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.video.DecodeResult;
import dev.vqamini.video.FrameReader;
import dev.vqamini.video.VideoFile;
import dev.vqamini.video.VideoInfo;
import dev.vqamini.video.VideoInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a video file into the two views DOVER scores, decoding each needed frame once (the union of both views'
 * indices, in one forward pass) and cutting fragments / resizing as each frame arrives, so no full-size frame is kept.
 *
 * <p>Determinism: with {@link OffsetMode#RANDOM} the offsets come from generators seeded by {@code seed} mixed with
 * the file <em>name</em> (not its directory), so the same file scored from another folder gets the same views.
 * With {@link OffsetMode#CENTRE} the seed is ignored.
 *
 * <p>A file that decodes fewer frames than its header promised is sampled again from the frames it really has.
 * Not thread-safe per instance (it caches resize tables); use one per thread.
 */
public final class ViewSampler {

    private final ViewSettings settings;
    private final FragmentSampler fragments = FragmentSampler.dover();
    private final ResizedViewSampler resized = ResizedViewSampler.dover();

    public ViewSampler(ViewSettings settings) {
        this.settings = settings;
    }

    public ViewSampler() {
        this(ViewSettings.defaults());
    }

    public ViewSettings settings() {
        return settings;
    }

    /** Both views of {@code video}. */
    public VideoViews sample(Path video, long seed) {
        return sampleWithInfo(video, seed).views();
    }

    /** Both views of {@code video}, with what probing and decoding found. */
    public Result sampleWithInfo(Path video, long seed) {
        return sampleWithInfo(video, seed, video.getFileName() == null ? "" : video.getFileName().toString());
    }

    /**
     * Both views, with the random offsets drawn from {@code seed} mixed with {@code key} instead of the file name
     * (ingest-service keys them by video id, so a video re-ingested from anywhere gets the same views; with the file
     * name as id, they equal {@code vqa views FILE --seed S}).
     */
    public Result sampleWithInfo(Path video, long seed, String key) {
        long base = mix(seed, key);
        VideoInfo info;
        int frames;
        try (VideoFile file = VideoFile.open(video, settings.limits())) {
            info = file.info();
            frames = info.frameCount();
            if (frames > 0) {
                Attempt a = attempt(file, frames, base, settings.seekGap());
                if (a.result.delivered() == a.needed) {
                    return new Result(a.views, info, frames, a.result);
                }
                // the file holds fewer frames than promised; without seeks the pass counted them exactly
                frames = a.result.seeks() == 0 ? a.result.framesSeen() : -1;
            } else {
                frames = -1;
            }
        }
        if (frames < 0) {
            // unknown count, or a short file read with seeks (a seek past the real end says nothing): count them
            try (VideoFile file = VideoFile.open(video, settings.limits())) {
                frames = FrameReader.countFrames(file, settings.limits().maxFrames());
            }
        }
        if (frames <= 0) {
            throw new VideoInputException(video, VideoInputException.Kind.TRUNCATED, "no decodable frames");
        }
        try (VideoFile file = VideoFile.open(video, settings.limits())) {
            Attempt a = attempt(file, frames, base, 0); // no seeks on a file that already broke its promise
            if (a.result.delivered() != a.needed) {
                throw new VideoInputException(video, VideoInputException.Kind.TRUNCATED, "stream delivered " + a.result.framesSeen() + " of " + frames
                        + " frames on a second read (unstable decoding)");
            }
            return new Result(a.views, info, frames, a.result);
        }
    }

    private Attempt attempt(VideoFile file, int frames, long base, int seekGap) {
        OffsetMode mode = settings.offsetMode();
        UnifiedFrameSampler ts = settings.technical();
        UnifiedFrameSampler as = settings.aesthetic();
        int[][] tIdx = ts.clips(frames, mode.source(new SplittableRandom(base ^ 0x7E43C4A1L)));
        int[][] aIdx = as.clips(frames, mode.source(new SplittableRandom(base ^ 0xAE57E71CL)));
        int side = fragments.outSize();
        int plane = side * side;
        byte[] tPix = new byte[ts.clipCount() * 3 * UnifiedFrameSampler.CLIP_FRAMES * plane];
        byte[] aPix = new byte[as.clipCount() * 3 * UnifiedFrameSampler.CLIP_FRAMES * resized.outHeight() * resized.outWidth()];
        int aPlane = resized.outHeight() * resized.outWidth();

        // frame index -> the (view, clip, t) slots it fills; both views share one decode
        Map<Integer, List<int[]>> slots = new HashMap<>();
        addSlots(slots, tIdx, 0);
        addSlots(slots, aIdx, 1);
        int[] needed = slots.keySet().stream().mapToInt(Integer::intValue).toArray();

        long fragSeed = base ^ 0xF4A6E37DL;
        FragmentSampler.Layout[] layout = new FragmentSampler.Layout[1];
        DecodeResult r = new FrameReader(seekGap).read(file, needed, (index, frame) -> {
            if (layout[0] == null || layout[0].height != frame.height() || layout[0].width != frame.width()) {
                // same seed for any size: a mid-stream size change keeps the draw order
                layout[0] = fragments.layout(frame.height(), frame.width(), ts.clipCount(),
                        mode.source(new SplittableRandom(fragSeed)));
            }
            int T = UnifiedFrameSampler.CLIP_FRAMES;
            for (int[] s : slots.get(index)) {
                int clip = s[1];
                int t = s[2];
                if (s[0] == 0) {
                    fragments.cut(frame, layout[0], clip, tPix, (clip * 3 * T + t) * plane, T * plane);
                } else {
                    resized.resize(frame, aPix, (clip * 3 * T + t) * aPlane, T * aPlane);
                }
            }
        });
        VideoViews views = null;
        if (r.delivered() == needed.length) {
            views = new VideoViews(
                    new ViewClips(View.TECHNICAL, ts.clipCount(), UnifiedFrameSampler.CLIP_FRAMES, side, side, tPix, tIdx),
                    new ViewClips(View.AESTHETIC, as.clipCount(), UnifiedFrameSampler.CLIP_FRAMES, resized.outHeight(), resized.outWidth(), aPix, aIdx));
        }
        return new Attempt(views, r, needed.length);
    }

    private static void addSlots(Map<Integer, List<int[]>> slots, int[][] idx, int view) {
        for (int c = 0; c < idx.length; c++) {
            for (int t = 0; t < idx[c].length; t++) {
                slots.computeIfAbsent(idx[c][t], k -> new ArrayList<>()).add(new int[] {view, c, t});
            }
        }
    }

    /** Mixes the seed with the file name (FNV-1a over UTF-8), so different videos get different offsets. */
    static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return h ^ (seed * 0x9E3779B97F4A7C15L);
    }

    private record Attempt(VideoViews views, DecodeResult result, int needed) {
    }

    /**
     * Views and what was learned on the way.
     *
     * @param views       the two views
     * @param info        the probe
     * @param framesUsed  the frame count sampled from (smaller than {@code info.frameCount()} for short-delivering files)
     * @param decode      the decoding pass that produced the views
     */
    public record Result(VideoViews views, VideoInfo info, int framesUsed, DecodeResult decode) {
    }
}
