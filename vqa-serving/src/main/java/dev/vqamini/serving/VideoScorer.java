package dev.vqamini.serving;

import dev.vqamini.clips.VideoViews;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.VideoScore;

/**
 * Scores one whole video with one model version: every technical clip and the aesthetic clip, branch scores as the
 * mean over clips, fused with that version's own constants. The unit of work of {@code vqa score}, {@code vqa eval},
 * the demo and scorer-service.
 */
public final class VideoScorer {

    /** A video's scores and the seconds the model took. */
    public record Scored(VideoScore score, double modelSeconds) {
    }

    private final QualityModel model;

    public VideoScorer(QualityModel model) {
        this.model = model;
    }

    public String modelVersion() {
        return model.version();
    }

    public Scored score(VideoViews views) {
        long t0 = System.nanoTime();
        VideoScore s = model.score(views.technical(), views.aesthetic());
        return new Scored(s, (System.nanoTime() - t0) / 1e9);
    }
}
