package dev.vqamini.serving;

import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.wire.ClipAssembler;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Scores one whole video with one version through the batcher: every clip of both views, branch scores as the mean
 * over clips, fused with that version's own constants; the records a scorer writes (one per clip, one per video).
 */
public final class VideoScoring {

    /** The records to write for a video; a shadow scoring's {@code video} is marked shadow. */
    public record Result(VideoScoreRecord video, List<ClipScore> clips) {
    }

    private VideoScoring() {
    }

    /**
     * @param shadow a shadow scoring's records are all marked shadow: the video score too, so that metrics-service
     *               can pair it with the real score of the same video while every reader of the product's scores
     *               skips it
     */
    public static CompletableFuture<Result> score(ClipAssembler.Video video, ServingModel model, DynamicBatcher batcher,
                                                  String scorerId, boolean shadow) {
        List<CompletableFuture<DynamicBatcher.ClipResult>> pending = new ArrayList<>();
        List<View> views = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (View view : View.values()) {
            ViewClips clips = video.views().get(view);
            int bytes = clips.clipBytes();
            for (int c = 0; c < clips.clips(); c++) {
                pending.add(batcher.submit(model, view, Arrays.copyOfRange(clips.pixels(), c * bytes, (c + 1) * bytes)));
                views.add(view);
                indices.add(c);
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> {
            FragmentClip meta = video.metadata();
            double[] sum = new double[View.values().length];
            int[] count = new int[View.values().length];
            double inferenceMs = 0;
            List<ClipScore> clipScores = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                DynamicBatcher.ClipResult r = pending.get(i).join();
                View view = views.get(i);
                sum[view.ordinal()] += r.score();
                count[view.ordinal()]++;
                inferenceMs += r.inferenceSeconds() * 1000 / r.batchSize();
                clipScores.add(ClipScore.newBuilder().setVideoId(video.videoId()).setView(WireViews.toWire(view))
                        .setClipIndex(indices.get(i)).setClipCount(video.views().get(view).clips())
                        .setModelVersion(model.version()).setRawScore(r.score()).setInferenceMs(r.inferenceSeconds() * 1000)
                        .setBatchSize(r.batchSize()).setScorerId(scorerId).setIngestTimeMs(meta.getIngestTimeMs())
                        .setUploadId(meta.getUploadId()).setShadow(shadow).build());
            }
            double technical = sum[View.TECHNICAL.ordinal()] / count[View.TECHNICAL.ordinal()];
            double aesthetic = sum[View.AESTHETIC.ordinal()] / count[View.AESTHETIC.ordinal()];
            VideoScoreRecord.Builder v = VideoScoreRecord.newBuilder().setVideoId(video.videoId())
                    .setModelVersion(model.version()).setTechnical(technical).setAesthetic(aesthetic)
                    .setFused(model.fusion().fuse(technical, aesthetic)).setUploadId(meta.getUploadId())
                    .setIngestTimeMs(meta.getIngestTimeMs()).setInferenceMs(inferenceMs).setClips(pending.size())
                    .setDataset(meta.getDataset()).setShadow(shadow)
                    .setEndToEndMs(meta.getIngestTimeMs() > 0 ? System.currentTimeMillis() - meta.getIngestTimeMs() : 0);
            if (meta.hasMos()) {
                v.setMos(meta.getMos());
            }
            return new Result(v.build(), clipScores);
        });
    }
}
