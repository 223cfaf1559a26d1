package dev.vqamini.wire;

import com.google.protobuf.ByteString;
import dev.vqamini.clips.VideoViews;
import dev.vqamini.clips.View;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.SourceMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/** The vqa.fragments records of one video: one record per view clip (N = 1), technical clips first. */
public final class FragmentRecords {

    private FragmentRecords() {
    }

    public static List<FragmentClip> of(String videoId, String uploadId, VideoViews views, SourceMetadata source,
                                        OptionalDouble mos, String dataset, long ingestTimeMs) {
        List<FragmentClip> out = new ArrayList<>();
        for (View view : new View[] {View.TECHNICAL, View.AESTHETIC}) {
            ViewClips c = views.get(view);
            for (int i = 0; i < c.clips(); i++) {
                FragmentClip.Builder b = FragmentClip.newBuilder().setVideoId(videoId).setView(WireViews.toWire(view))
                        .setClipIndex(i).setClipCount(c.clips()).setBatch(1).setChannels(3).setFrames(c.frames())
                        .setHeight(c.height()).setWidth(c.width())
                        .setPixels(ByteString.copyFrom(c.pixels(), i * c.clipBytes(), c.clipBytes()))
                        .addAllFrameIndices(Arrays.stream(c.frameIndices()[i]).boxed().toList())
                        .setSource(source).setIngestTimeMs(ingestTimeMs).setDataset(dataset).setUploadId(uploadId);
                mos.ifPresent(b::setMos);
                out.add(b.build());
            }
        }
        return out;
    }
}
