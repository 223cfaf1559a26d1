package dev.vqamini.prune;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.wire.ClipAssembler;
import dev.vqamini.wire.proto.FragmentClip;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Calibration videos from records of vqa.fragments: {@link ClipAssembler} gathers the clips of each video until it
 * is complete; incomplete videos are left out. MOS comes from the clip itself or from vqa.labels.
 */
public final class FragmentCalibration {

    private final ClipAssembler assembler = new ClipAssembler();
    private final List<ClipAssembler.Video> complete = new ArrayList<>();

    /** Adds one record's clip; a clip that contradicts its video's others is skipped. */
    public void add(FragmentClip clip) {
        try {
            assembler.add(clip, System.currentTimeMillis()).ifPresent(complete::add);
        } catch (IllegalArgumentException e) {
            // inconsistent input is the ingest side's to dead-letter; a calibration sample just leaves it out
        }
    }

    /** How many videos are complete so far. */
    public int completeVideos() {
        return complete.size();
    }

    /** Complete videos, at most {@code limit}, with MOS from {@code labels} when the clips carry none. */
    public List<CalibrationVideo> videos(Map<String, Double> labels, int limit) {
        List<CalibrationVideo> out = new ArrayList<>();
        for (ClipAssembler.Video v : complete.subList(0, Math.min(limit, complete.size()))) {
            FragmentClip meta = v.metadata();
            OptionalDouble mos = meta.hasMos() ? OptionalDouble.of(meta.getMos())
                    : labels.containsKey(v.videoId()) ? OptionalDouble.of(labels.get(v.videoId())) : OptionalDouble.empty();
            out.add(new CalibrationVideo(v.videoId(), mos, v::views));
        }
        return out;
    }
}
