package dev.vqamini.video.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.dataset.MosLabels;
import dev.vqamini.video.VideoFile;
import dev.vqamini.video.VideoInfo;
import dev.vqamini.video.VideoLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.util.Arrays;

class SynthGeneratorTest {

    @TempDir
    Path dir;

    private final SynthGenerator small = new SynthGenerator(new SynthGenerator.Settings(96, 64, 24, 1));

    @Test
    void libx264IsPresentAndUsed() throws Exception {
        assertTrue(VideoWriter.hasEncoder("libx264"), "the -gpl FFmpeg build must carry libx264");
        SynthVideo v = small.make(dir.resolve("a.mp4"), SynthContent.SHAPES, 1, Distortion.COMPRESSION, 3);
        VideoInfo info = VideoFile.probe(v.file(), VideoLimits.defaults());
        assertEquals("h264", info.codec());
        assertEquals(96, info.width());
        assertEquals(24, info.frameCount());
        assertEquals(40, v.crf()); // 22 + 6 * 3
        assertEquals(24, v.frames());
    }

    @Test
    void strongerDistortionMeansLowerSsimAndMos() {
        for (Distortion d : List.of(Distortion.BLUR, Distortion.NOISE, Distortion.COMPRESSION, Distortion.STUTTER)) {
            SynthVideo mild = small.make(dir.resolve(d + "1.mp4"), SynthContent.CHECKER_PAN, 7, d, 1);
            SynthVideo severe = small.make(dir.resolve(d + "5.mp4"), SynthContent.CHECKER_PAN, 7, d, 5);
            assertTrue(severe.ssim() < mild.ssim() - 0.02, d + ": ssim " + mild.ssim() + " -> " + severe.ssim());
            assertTrue(severe.mos() < mild.mos(), d + ": mos " + mild.mos() + " -> " + severe.mos());
            assertTrue(severe.psnr() < mild.psnr(), d + ": psnr " + mild.psnr() + " -> " + severe.psnr());
        }
    }

    @Test
    void scenesMoveAndDependOnTheirSeed() {
        for (SynthContent c : SynthContent.values()) {
            SynthContent.Scene s = c.scene(3, 64, 48);
            byte[] f0 = new byte[64 * 48 * 3];
            byte[] f12 = new byte[64 * 48 * 3];
            s.render(0, f0);
            s.render(12, f12);
            assertTrue(FullReference.psnr(f0, f12, 64, 48) < 40, c + " has motion");
            byte[] other = new byte[f0.length];
            c.scene(4, 64, 48).render(0, other);
            assertNotEquals(Arrays.hashCode(f0), Arrays.hashCode(other), c + " depends on its seed");
        }
    }

    @Test
    void fullReferenceMeasuresAndMosMapping() {
        byte[] a = new byte[32 * 32 * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 7);
        }
        assertEquals(1.0, FullReference.ssim(a, a, 32, 32), 1e-12);
        assertEquals(100, FullReference.psnr(a, a, 32, 32));
        byte[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.min(255, (b[i] & 0xFF) + 4);
        }
        // luma shifts by exactly 4 where nothing clips: PSNR near 20 log10(255/4) = 36.1 dB
        assertEquals(36.1, FullReference.psnr(a, b, 32, 32), 1.5);
        assertEquals(5, PseudoMos.fromSsim(0.99));
        assertEquals(1, PseudoMos.fromSsim(0.2));
        assertEquals(3, PseudoMos.fromSsim((PseudoMos.SSIM_FLOOR + PseudoMos.SSIM_CEILING) / 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Distortion.BLUR.apply(new byte[][] {a}, 0, 6, 32, 32, null));
    }

    @Test
    void datasetCyclesDistortionsAndLevelsAndLabelsRoundTrip() throws Exception {
        List<SynthVideo> videos = small.generate(dir, 7, 11, v -> { });
        assertEquals(Distortion.BLUR, videos.get(0).distortion());
        assertEquals(Distortion.EXPOSURE, videos.get(5).distortion());
        assertEquals(1, videos.get(5).level());
        assertEquals(Distortion.BLUR, videos.get(6).distortion());
        assertEquals(2, videos.get(6).level());
        List<MosLabels.Entry> entries = new ArrayList<>();
        for (SynthVideo v : videos) {
            assertTrue(Files.size(v.file()) > 0);
            entries.add(new MosLabels.Entry(v.file().getFileName().toString(), Integer.toString(v.level()), "0", v.mos()));
        }
        Path labels = dir.resolve("labels.txt");
        MosLabels.write(labels, entries);
        List<MosLabels.Entry> back = MosLabels.read(labels);
        assertEquals(7, back.size());
        assertEquals(entries.get(3).name(), back.get(3).name());
        assertEquals(entries.get(3).mos(), back.get(3).mos(), 1e-4);
        assertTrue(Files.readAllLines(labels).get(0).matches("synth_0000_\\w+\\.mp4, 1, 0, \\d\\.\\d{4}"), Files.readAllLines(labels).get(0));
        Files.writeString(labels, "a.mp4, 1, 2, x\n");
        assertThrows(IOException.class, () -> MosLabels.read(labels));
    }
}
