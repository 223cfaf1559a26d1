package dev.vqamini.wire;

import dev.vqamini.clips.VideoViews;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.wire.proto.FragmentClip;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Gathers the clips of each video from vqa.fragments records (any order, duplicates tolerated) and hands a video
 * over once it is complete: every clip of both views, as their {@code clip_count} says. Used by the scorer, the
 * pruning-service's calibration sample and the demo. Not thread-safe.
 */
public final class ClipAssembler {

    /**
     * A complete video.
     *
     * @param videoId      the key
     * @param views        both views, clips in index order
     * @param metadata     the first technical clip's record without pixels (source, MOS, upload id, ingest time)
     * @param firstSeenMs  when its first clip arrived here (epoch ms)
     */
    public record Video(String videoId, VideoViews views, FragmentClip metadata, long firstSeenMs) {
    }

    /**
     * What is known of a video still waiting for clips.
     *
     * @param lastClipMs the newest time given with one of its clips (the scorer gives the records' log time)
     */
    public record Pending(String videoId, int clipsHave, int clipsNeeded, long firstSeenMs, long lastClipMs) {
        /** e.g. "2 of 4 clips". */
        public String describe() {
            return clipsHave + " of " + clipsNeeded + " clips";
        }
    }

    private static final class Partial {
        final Map<View, TreeMap<Integer, FragmentClip>> byView = new EnumMap<>(View.class);
        final long firstSeenMs;
        long lastClipMs;

        Partial(long firstSeenMs) {
            this.firstSeenMs = firstSeenMs;
            this.lastClipMs = firstSeenMs;
        }

        Pending pending(String videoId) {
            return new Pending(videoId, have(), needed(), firstSeenMs, lastClipMs);
        }

        int have() {
            return byView.values().stream().mapToInt(Map::size).sum();
        }

        int needed() {
            int n = 0;
            for (View v : View.values()) {
                TreeMap<Integer, FragmentClip> clips = byView.get(v);
                n += clips == null || clips.isEmpty() ? 1 : clips.firstEntry().getValue().getClipCount();
            }
            return n;
        }
    }

    private final Map<String, Partial> partial = new LinkedHashMap<>();

    /**
     * Adds one clip; returns its video when this clip completed it (the video is then forgotten here).
     *
     * @throws IllegalArgumentException when the clip contradicts the others of its video (counts, shapes)
     */
    public Optional<Video> add(FragmentClip clip, long timeMs) {
        Partial p = partial.computeIfAbsent(clip.getVideoId(), id -> new Partial(timeMs));
        TreeMap<Integer, FragmentClip> clips = p.byView.computeIfAbsent(WireViews.fromWire(clip.getView()), v -> new TreeMap<>());
        if (!clips.isEmpty() && clips.firstEntry().getValue().getClipCount() != clip.getClipCount()) {
            throw new IllegalArgumentException("video " + clip.getVideoId() + ": clip " + clip.getClipIndex() + " says "
                    + clip.getClipCount() + " " + clip.getView() + " clips, an earlier one said "
                    + clips.firstEntry().getValue().getClipCount());
        }
        if (clip.getClipIndex() < 0 || clip.getClipIndex() >= clip.getClipCount()) {
            throw new IllegalArgumentException("video " + clip.getVideoId() + ": clip index " + clip.getClipIndex()
                    + " outside 0.." + (clip.getClipCount() - 1));
        }
        clips.put(clip.getClipIndex(), clip); // a re-delivered clip replaces its twin
        p.lastClipMs = Math.max(p.lastClipMs, timeMs);
        if (p.have() < p.needed()) {
            return Optional.empty();
        }
        partial.remove(clip.getVideoId());
        TreeMap<Integer, FragmentClip> technical = p.byView.get(View.TECHNICAL);
        VideoViews views = new VideoViews(merge(View.TECHNICAL, technical), merge(View.AESTHETIC, p.byView.get(View.AESTHETIC)));
        return Optional.of(new Video(clip.getVideoId(), views, technical.firstEntry().getValue().toBuilder().clearPixels().build(),
                p.firstSeenMs));
    }

    /** Videos still waiting for clips, oldest first. */
    public List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        partial.forEach((id, p) -> out.add(p.pending(id)));
        return out;
    }

    /** Forgets a pending video (given up on, e.g. dead-lettered after a timeout); returns what it had. */
    public Optional<Pending> drop(String videoId) {
        Partial p = partial.remove(videoId);
        return p == null ? Optional.empty() : Optional.of(p.pending(videoId));
    }

    private static ViewClips merge(View view, TreeMap<Integer, FragmentClip> byIndex) {
        FragmentClip first = byIndex.firstEntry().getValue();
        int count = first.getClipCount();
        long clipBytesLong;
        try {
            clipBytesLong = Math.multiplyExact(Math.multiplyExact(3L * first.getFrames(), (long) first.getHeight()),
                    (long) first.getWidth());
        } catch (ArithmeticException e) {
            clipBytesLong = -1;
        }
        if (first.getFrames() < 0 || first.getHeight() < 0 || first.getWidth() < 0 || clipBytesLong != first.getPixels().size()
                || (long) count * clipBytesLong > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("video " + first.getVideoId() + ": " + view.key() + " clip "
                    + first.getClipIndex() + " has " + first.getPixels().size() + " bytes of pixels for "
                    + first.getFrames() + "x" + first.getHeight() + "x" + first.getWidth() + " (x" + count + " clips)");
        }
        int clipBytes = (int) clipBytesLong;
        byte[] pixels = new byte[count * clipBytes];
        int[][] frames = new int[count][];
        for (FragmentClip c : byIndex.values()) {
            if (c.getPixels().size() != clipBytes || c.getFrames() != first.getFrames() || c.getHeight() != first.getHeight()
                    || c.getWidth() != first.getWidth()) {
                throw new IllegalArgumentException("video " + c.getVideoId() + ": " + view.key() + " clip " + c.getClipIndex()
                        + " has " + c.getPixels().size() + " bytes of " + c.getFrames() + "x" + c.getHeight() + "x"
                        + c.getWidth() + ", clip 0 has " + clipBytes + " bytes of " + first.getFrames() + "x"
                        + first.getHeight() + "x" + first.getWidth());
            }
            c.getPixels().copyTo(pixels, c.getClipIndex() * clipBytes);
            frames[c.getClipIndex()] = c.getFrameIndicesList().stream().mapToInt(Integer::intValue).toArray();
        }
        return new ViewClips(view, count, first.getFrames(), first.getHeight(), first.getWidth(), pixels, frames);
    }
}
