package dev.vqamini.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Arrays;

/** Probing real encoded files, and refusing bad ones with one-line reasons. */
class VideoFileTest {

    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void encode() throws Exception {
        good = TestVideos.h264(dir.resolve("good.mp4"), 160, 96, 48);
    }

    @Test
    void probeReportsSizeRateCountCodecAndPixelFormat() {
        VideoInfo info = VideoFile.probe(good, VideoLimits.defaults());
        assertEquals(160, info.width());
        assertEquals(96, info.height());
        assertEquals(24.0, info.fps(), 1e-6);
        assertEquals(48, info.frameCount());
        assertEquals(2.0, info.durationSeconds(), 0.05);
        assertEquals("h264", info.codec());
        assertEquals("yuv420p", info.pixelFormat());
        assertEquals(0, info.rotation());
        assertFalse(info.variableFrameRate());
    }

    @Test
    void missingEmptyRandomTextAndTruncatedFilesAreRefusedWithTheFileAndReason() throws Exception {
        Path missing = dir.resolve("missing.mp4");
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        byte[] noise = new byte[50_000];
        new Random(1).nextBytes(noise);
        Path random = Files.write(dir.resolve("random.mp4"), noise);
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(200));
        byte[] all = Files.readAllBytes(good);
        // no faststart: the index (moov) is at the end, so a cut file cannot be opened at all
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(all, all.length / 3));
        assertRefused(missing, "no such file");
        assertRefused(empty, "empty file");
        assertRefused(random, "not a readable video");
        assertRefused(text, "not a readable video: Invalid data found when processing input");
        // FFmpeg's words and nothing after them (the rest of av_strerror's buffer once leaked into the reason)
        assertEquals(text + ": not a readable video: Invalid data found when processing input",
                assertThrows(VideoInputException.class, () -> VideoFile.probe(text, VideoLimits.defaults())).getMessage());
        assertRefused(cut, "not a readable video");
        assertRefused(dir, "not a regular file");
    }

    @Test
    void audioOnlyFileHasNoVideoStream() throws Exception {
        Path wav = dir.resolve("tone.wav");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(wav.toFile(), 1)) {
            r.setSampleRate(8000);
            r.setFormat("wav");
            r.start();
            short[] samples = new short[8000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (8000 * Math.sin(i * 0.3));
            }
            r.recordSamples(ShortBuffer.wrap(samples));
            r.stop();
        }
        assertRefused(wav, "no video stream");
    }

    @Test
    void limitsAreEnforced() {
        assertRefused(good, VideoLimits.defaults().withMaxSide(100), "exceeds the limit of 100 px");
        assertRefused(good, VideoLimits.defaults().withMaxDurationSeconds(1), "duration 2.0 s exceeds");
        assertRefused(good, VideoLimits.defaults().withMaxFrames(10), "claims 48 frames");
        assertRefused(good, new VideoLimits(8192, 128, 600, 1000), "below the minimum of 128 px");
    }

    private static void assertRefused(Path p, String reason) {
        assertRefused(p, VideoLimits.defaults(), reason);
    }

    private static void assertRefused(Path p, VideoLimits limits, String reason) {
        VideoInputException e = assertThrows(VideoInputException.class, () -> VideoFile.probe(p, limits));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void textReasonsAreReadable() {
        // the exception's parts are usable on their own
        VideoInputException e = new VideoInputException(Path.of("a.mp4"), VideoInputException.Kind.EMPTY, "empty file (0 bytes)");
        assertEquals("a.mp4: empty file (0 bytes)", e.getMessage());
        assertEquals("empty", e.kind().tag());
        assertEquals("empty file (0 bytes)", e.reason());
        assertEquals(Path.of("a.mp4"), e.path());
    }
}
