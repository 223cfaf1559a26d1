package dev.vqamini.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.video.synth.VideoWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.ByteBuffer;

/** Decoding requested frames from real files: order, seeking, rotation, variable frame rate. */
class FrameReaderTest {

    @TempDir
    static Path dir;
    static Path video;

    @BeforeAll
    static void encode() throws Exception {
        video = TestVideos.h264(dir.resolve("count.mp4"), 128, 96, 72);
    }

    private static List<int[]> read(Path p, int seekGap, int... indices) {
        List<int[]> got = new ArrayList<>();
        try (VideoFile f = VideoFile.open(p, VideoLimits.defaults())) {
            DecodeResult r = new FrameReader(seekGap).read(f, indices, (i, fr) -> got.add(new int[] {i, TestVideos.index(fr)}));
            got.add(new int[] {-1, r.seeks(), r.delivered(), r.framesSeen()});
        }
        return got;
    }

    @Test
    void deliversEachRequestedFrameOnceInOrderWithItsContent() {
        List<int[]> got = read(video, 0, 47, 3, 0, 3, 71, 20);
        int[] expected = {0, 3, 20, 47, 71};
        for (int k = 0; k < expected.length; k++) {
            assertArrayEquals(new int[] {expected[k], expected[k]}, got.get(k), "frame " + expected[k]);
        }
        assertArrayEquals(new int[] {-1, 0, 5, 72}, got.get(5));
    }

    @Test
    void seekingLandsOnTheSameFramesAsDecodingThrough() {
        List<int[]> got = read(video, 8, 1, 30, 31, 66);
        assertArrayEquals(new int[] {1, 1}, got.get(0));
        assertArrayEquals(new int[] {30, 30}, got.get(1));
        assertArrayEquals(new int[] {31, 31}, got.get(2));
        assertArrayEquals(new int[] {66, 66}, got.get(3));
        assertTrue(got.get(4)[1] >= 2, "expected seeks for gaps > 8, got " + got.get(4)[1]);
    }

    @Test
    void indicesPastTheEndReportTheRealFrameCount() {
        List<int[]> got = read(video, 0, 10, 90);
        assertArrayEquals(new int[] {10, 10}, got.get(0));
        assertArrayEquals(new int[] {-1, 0, 1, 72}, got.get(1));
    }

    @Test
    void displayMatrixRotationIsReportedAndApplied() throws Exception {
        // FFmpeg's display matrix angle is counter-clockwise: +90 means "turn 90 degrees counter-clockwise to show"
        int[][] cases = {{90, 270}, {-90, 90}, {180, 180}};
        for (int[] c : cases) {
            Path p = TestVideos.write(dir.resolve("rot" + c[0] + ".mp4"),
                    VideoWriter.Spec.h264(96, 64, 18).displayRotation(c[0]), 96, 64, 6);
            VideoInfo info = VideoFile.probe(p, VideoLimits.defaults());
            assertEquals(c[1], info.rotation(), "rotation for display matrix " + c[0]);
            boolean swapped = c[1] != 180;
            assertEquals(swapped ? 64 : 96, info.width());
            assertEquals(swapped ? 96 : 64, info.height());
            RgbFrame[] first = new RgbFrame[1];
            try (VideoFile f = VideoFile.open(p, VideoLimits.defaults())) {
                new FrameReader().read(f, new int[] {2}, (i, fr) -> first[0] = new RgbFrame(fr.width(), fr.height(), fr.data().clone()));
            }
            RgbFrame fr = first[0];
            assertEquals(info.width(), fr.width());
            assertEquals(info.height(), fr.height());
            // the red marker (top-left of the stored picture) ends in the corner the rotation takes it to
            int top = 3;
            int left = 3;
            int bottom = fr.height() - 4;
            int right = fr.width() - 4;
            int[] redCorner = switch (c[1]) {
                case 90 -> new int[] {top, right};      // clockwise: top-left -> top-right
                case 270 -> new int[] {bottom, left};   // counter-clockwise: top-left -> bottom-left
                default -> new int[] {bottom, right};   // 180
            };
            assertTrue(fr.get(redCorner[0], redCorner[1], 0) > 200 && fr.get(redCorner[0], redCorner[1], 2) < 50,
                    "marker at " + redCorner[0] + "," + redCorner[1] + " for rotation " + c[1]);
            assertTrue(fr.get(top, left, 0) < 100 || c[1] == 0, "top-left no longer red for rotation " + c[1]);
            assertEquals(2, TestVideos.index(fr));
        }
    }

    @Test
    void variableFrameRateFilesAreIndexedByDecodeOrder() throws Exception {
        Path p = dir.resolve("vfr.mkv");
        int w = 96;
        int h = 64;
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(p.toFile(), w, h, 0)) {
            r.setVideoCodecName("libx264");
            r.setFrameRate(1000); // millisecond time base; real spacing comes from the timestamps below
            r.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            r.setVideoOption("crf", "18");
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            long t = 0;
            for (int f = 0; f < 40; f++) {
                ByteBuffer b = (ByteBuffer) frame.image[0];
                byte[] rgb = TestVideos.frame(f, w, h);
                for (int y = 0; y < h; y++) {
                    b.put(y * frame.imageStride, rgb, y * w * 3, w * 3);
                }
                t += (f % 3 == 0) ? 20_000 : 60_000; // 20 ms and 60 ms gaps: 25 fps on average, not constant
                r.setTimestamp(t);
                r.record(frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        }
        VideoInfo info = VideoFile.probe(p, VideoLimits.defaults());
        assertTrue(info.variableFrameRate(), info.describe());
        List<int[]> got = read(p, 8, 0, 13, 26, 39);
        for (int k = 0; k < 4; k++) {
            assertEquals(got.get(k)[0], got.get(k)[1], "decode-order index vs content at " + got.get(k)[0]);
        }
        assertEquals(0, got.get(4)[1], "no seeking on variable-frame-rate files");
        assertFalse(got.get(4)[3] < 40, "all 40 frames seen");
    }
}
