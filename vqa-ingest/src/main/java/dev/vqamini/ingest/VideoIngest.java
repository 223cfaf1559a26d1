package dev.vqamini.ingest;

import dev.vqamini.views.ViewSampler;
import dev.vqamini.views.ViewSettings;
import dev.vqamini.wire.FragmentRecords;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.SourceMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Turns one uploaded video file into its vqa.fragments records: DOVER's views (decoded once, {@link ViewSampler}),
 * one record per view clip, keyed by video id, with the upload's id, source metadata, ingest time and MOS. Offsets
 * are drawn from the configured seed mixed with the video id, so a video re-ingested gets the same views, and with
 * the file name as id they are exactly {@code vqa views FILE --seed S}.
 */
public final class VideoIngest {

    /** One upload to cut. */
    public record Upload(String videoId, String uploadId, Path file, OptionalDouble mos, String dataset) {
    }

    /** Its records and what decoding found. */
    public record Cut(List<FragmentClip> clips, SourceMetadata source, double seconds) {
    }

    private final ViewSettings settings;
    private final long seed;

    public VideoIngest(ViewSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /** @throws dev.vqamini.video.VideoInputException naming the file and what is wrong with it */
    public Cut cut(Upload u) {
        long t0 = System.nanoTime();
        ViewSampler.Result r = new ViewSampler(settings).sampleWithInfo(u.file(), seed, u.videoId());
        SourceMetadata source = SourceMetadata.newBuilder().setWidth(r.info().width()).setHeight(r.info().height())
                .setFps(r.info().fps()).setFrameCount(r.framesUsed()).setCodec(r.info().codec())
                .setRotation(r.info().rotation()).build();
        List<FragmentClip> clips = FragmentRecords.of(u.videoId(), u.uploadId(), r.views(), source, u.mos(), u.dataset(),
                System.currentTimeMillis());
        return new Cut(clips, source, (System.nanoTime() - t0) / 1e9);
    }
}
