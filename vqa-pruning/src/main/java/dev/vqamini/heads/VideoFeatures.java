package dev.vqamini.heads;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.runtime.BranchOutput;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.clips.View;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/** What a model makes of one video, per branch: all that head refitting and evaluation need. */
public record VideoFeatures(String id, OptionalDouble mos, Branch technical, Branch aesthetic) {

    /**
     * One branch's outputs for a video.
     *
     * @param score            the branch score (mean over clips)
     * @param features         backbone features averaged over positions and clips (C values)
     * @param positionFeatures per clip and spatial position, features averaged over time (P x C, row-major)
     * @param positionScores   the head map at the same P positions, averaged over time
     */
    public record Branch(double score, double[] features, float[] positionFeatures, double[] positionScores) {

        static Branch of(BranchOutput out) {
            return new Branch(out.meanScore(), out.meanFeatures(), out.positionFeatures(), out.positionScores());
        }
    }

    public Branch branch(View view) {
        return view == View.TECHNICAL ? technical : aesthetic;
    }

    /** Runs {@code model} over every video, logging progress every few videos. */
    public static List<VideoFeatures> extract(QualityModel model, List<CalibrationVideo> videos, Consumer<String> progress) {
        List<VideoFeatures> out = new ArrayList<>();
        long start = System.nanoTime();
        for (CalibrationVideo v : videos) {
            VideoViews views = v.views().get();
            out.add(new VideoFeatures(v.id(), v.mos(), Branch.of(model.run(views.technical())),
                    Branch.of(model.run(views.aesthetic()))));
            if (out.size() % 10 == 0 || out.size() == videos.size()) {
                progress.accept(String.format("%s: %d/%d videos (%.1f s)", model.version(), out.size(), videos.size(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return out;
    }
}
