package dev.vqamini.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} labelled videos of one version, oldest first; a video seen again (its label updated)
 * replaces its earlier point instead of counting twice.
 */
public record VersionWindow(List<LabelledVideo> videos) {

    public static VersionWindow empty() {
        return new VersionWindow(List.of());
    }

    public VersionWindow with(LabelledVideo v, int capacity) {
        List<LabelledVideo> next = new ArrayList<>(videos.size() + 1);
        for (LabelledVideo old : videos) {
            if (!old.videoId().equals(v.videoId())) {
                next.add(old);
            }
        }
        next.add(v);
        return new VersionWindow(next.size() > capacity ? List.copyOf(next.subList(next.size() - capacity, next.size())) : next);
    }

    public double[] fused() {
        return videos.stream().mapToDouble(LabelledVideo::fused).toArray();
    }

    public double[] mos() {
        return videos.stream().mapToDouble(LabelledVideo::mos).toArray();
    }
}
