package dev.vqamini.prune;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.views.VideoViews;
import dev.vqamini.views.View;
import dev.vqamini.views.ViewClips;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.FragmentClip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Calibration videos from records of vqa.fragments: the clips of each video are gathered until the video is
 * complete (every technical clip and the aesthetic clip); incomplete videos are left out. MOS comes from the
 * clip itself or from vqa.labels.
 */
public final class FragmentCalibration {

    private final Map<String, Map<View, TreeMap<Integer, FragmentClip>>> clips = new LinkedHashMap<>();

    /** Adds one record's clip (a later duplicate of the same clip replaces the earlier one). */
    public void add(FragmentClip clip) {
        clips.computeIfAbsent(clip.getVideoId(), id -> new LinkedHashMap<>())
                .computeIfAbsent(WireViews.fromWire(clip.getView()), v -> new TreeMap<>())
                .put(clip.getClipIndex(), clip);
    }

    /** How many videos are complete so far (cheap: copies no pixels). */
    public int completeVideos() {
        int n = 0;
        for (Map<View, TreeMap<Integer, FragmentClip>> byView : clips.values()) {
            if (complete(byView.get(View.TECHNICAL)) && complete(byView.get(View.AESTHETIC))) {
                n++;
            }
        }
        return n;
    }

    private static boolean complete(TreeMap<Integer, FragmentClip> byIndex) {
        return byIndex != null && !byIndex.isEmpty() && byIndex.size() == byIndex.firstEntry().getValue().getClipCount()
                && byIndex.firstKey() == 0 && byIndex.lastKey() == byIndex.size() - 1;
    }

    /** Complete videos, at most {@code limit}, with MOS from {@code labels} when the clips carry none. */
    public List<CalibrationVideo> videos(Map<String, Double> labels, int limit) {
        List<CalibrationVideo> out = new ArrayList<>();
        for (Map.Entry<String, Map<View, TreeMap<Integer, FragmentClip>>> e : clips.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            ViewClips technical = merge(View.TECHNICAL, e.getValue().get(View.TECHNICAL));
            ViewClips aesthetic = merge(View.AESTHETIC, e.getValue().get(View.AESTHETIC));
            if (technical == null || aesthetic == null) {
                continue;
            }
            FragmentClip any = e.getValue().get(View.TECHNICAL).firstEntry().getValue();
            OptionalDouble mos = any.hasMos() ? OptionalDouble.of(any.getMos())
                    : labels.containsKey(e.getKey()) ? OptionalDouble.of(labels.get(e.getKey())) : OptionalDouble.empty();
            VideoViews views = new VideoViews(technical, aesthetic);
            out.add(new CalibrationVideo(e.getKey(), mos, () -> views));
        }
        return out;
    }

    /** One ViewClips of all clips of a view, or null while some are missing or shapes disagree. */
    private static ViewClips merge(View view, TreeMap<Integer, FragmentClip> byIndex) {
        if (!complete(byIndex)) {
            return null;
        }
        FragmentClip first = byIndex.firstEntry().getValue();
        int count = first.getClipCount();
        int clipBytes = 3 * first.getFrames() * first.getHeight() * first.getWidth();
        byte[] pixels = new byte[count * clipBytes];
        int[][] frames = new int[count][];
        for (FragmentClip c : byIndex.values()) {
            if (c.getPixels().size() != clipBytes || c.getFrames() != first.getFrames()) {
                return null;
            }
            c.getPixels().copyTo(pixels, c.getClipIndex() * clipBytes);
            frames[c.getClipIndex()] = c.getFrameIndicesList().stream().mapToInt(Integer::intValue).toArray();
        }
        return new ViewClips(view, count, first.getFrames(), first.getHeight(), first.getWidth(), pixels, frames);
    }
}
