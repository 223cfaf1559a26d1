package dev.vqamini.files;

import dev.vqamini.clips.VideoViews;
import dev.vqamini.model.QualityModel;
import dev.vqamini.serving.VideoScorer;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.views.ViewSettings;
import java.nio.file.Path;
import dev.vqamini.model.VideoScore;

/** Scores video files: decodes each into its views ({@link ViewSampler}), then {@link VideoScorer}. */
public final class FileScorer {

    /** A scored file with timings. */
    public record Scored(Path file, VideoScore score, double sampleSeconds, double modelSeconds) {
    }

    private final VideoScorer scorer;
    private final ViewSampler sampler;
    private final long seed;

    public FileScorer(QualityModel model, ViewSettings views, long seed) {
        this.scorer = new VideoScorer(model);
        this.sampler = new ViewSampler(views);
        this.seed = seed;
    }

    /** @throws dev.vqamini.video.VideoInputException when the file cannot be used */
    public Scored score(Path file) {
        long t0 = System.nanoTime();
        VideoViews views = sampler.sample(file, seed);
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        VideoScorer.Scored s = scorer.score(views);
        return new Scored(file, s.score(), sampleSeconds, s.modelSeconds());
    }
}
