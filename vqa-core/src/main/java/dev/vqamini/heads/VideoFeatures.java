package dev.vqamini.heads;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.views.VideoViews;
import dev.vqamini.views.View;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * What a model makes of one video: per branch its score (mean over clips) and its backbone features averaged
 * over positions and clips: all that head refitting and evaluation need.
 */
public record VideoFeatures(String id, OptionalDouble mos, double technicalScore, double aestheticScore,
                            double[] technicalFeatures, double[] aestheticFeatures) {

    public double score(View view) {
        return view == View.TECHNICAL ? technicalScore : aestheticScore;
    }

    public double[] features(View view) {
        return view == View.TECHNICAL ? technicalFeatures : aestheticFeatures;
    }

    /** Runs {@code model} over every video, logging progress every few videos. */
    public static List<VideoFeatures> extract(QualityModel model, List<CalibrationVideo> videos, Consumer<String> progress) {
        List<VideoFeatures> out = new ArrayList<>();
        long start = System.nanoTime();
        for (CalibrationVideo v : videos) {
            VideoViews views = v.views().get();
            BranchOutput t = model.run(views.technical());
            BranchOutput a = model.run(views.aesthetic());
            out.add(new VideoFeatures(v.id(), v.mos(), t.meanScore(), a.meanScore(), t.meanFeatures(), a.meanFeatures()));
            if (out.size() % 10 == 0 || out.size() == videos.size()) {
                progress.accept(String.format("%s: %d/%d videos (%.1f s)", model.version(), out.size(), videos.size(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return out;
    }
}
