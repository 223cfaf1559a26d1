package dev.vqamini.video.synth;

import dev.vqamini.video.DecodeResult;
import dev.vqamini.video.FrameReader;
import dev.vqamini.video.VideoFile;
import dev.vqamini.video.VideoLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.Arrays;

/**
 * Generates a labelled synthetic dataset: video i gets distortion {@code i mod 6}, level
 * {@code 1 + (i / 6) mod 5} and its own seeded scene (kind {@code (i / 30 + i) mod 4}), so any 30 consecutive videos
 * cover every distortion type at every level. Each video is encoded as H.264 in MP4 with libx264, decoded back,
 * and compared with its pristine frames for SSIM, PSNR and the pseudo-MOS.
 */
public final class SynthGenerator {

    /**
     * @param width   frame width (even: H.264 4:2:0)
     * @param height  frame height (even)
     * @param fps     frames per second
     * @param seconds duration
     */
    public record Settings(int width, int height, double fps, double seconds) {
        public Settings {
            if (width < 32 || height < 32 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("synthetic size must be even and >= 32, got " + width + "x" + height);
            }
            if (fps <= 0 || seconds <= 0) {
                throw new IllegalArgumentException("fps and seconds must be positive");
            }
        }

        /** 320 x 240, 24 fps, 4 s (96 frames: enough for a 64-frame technical clip without wrapping). */
        public static Settings defaults() {
            return new Settings(320, 240, 24, 4);
        }

        int frames() {
            return (int) Math.round(fps * seconds);
        }
    }

    private final Settings settings;

    public SynthGenerator(Settings settings) {
        this.settings = settings;
    }

    /** Generates videos {@code 0..count-1} of the dataset with seed {@code seed} into {@code dir}. */
    public List<SynthVideo> generate(Path dir, int count, long seed, Consumer<SynthVideo> progress) {
        if (!VideoWriter.hasEncoder("libx264")) {
            throw new IllegalStateException("this FFmpeg build has no libx264 encoder (use the -gpl FFmpeg artifact)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<SynthVideo> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SynthVideo v = generateOne(dir, i, seed);
            out.add(v);
            progress.accept(v);
        }
        return out;
    }

    /** Video {@code index} of the dataset with seed {@code seed}. */
    public SynthVideo generateOne(Path dir, int index, long seed) {
        Distortion[] kinds = Distortion.values();
        Distortion distortion = kinds[index % kinds.length];
        int level = 1 + (index / kinds.length) % 5;
        SynthContent[] scenes = SynthContent.values();
        SynthContent content = scenes[(index / 30 + index) % scenes.length];
        long contentSeed = new SplittableRandom(seed).split().nextLong() ^ (index * 0x9E3779B97F4A7C15L);
        String name = String.format("synth_%04d_%s_%s%d.mp4", index, content.name().toLowerCase(),
                distortion.name().toLowerCase(), level);
        return make(dir.resolve(name), content, contentSeed, distortion, level);
    }

    /** Renders, distorts, encodes, decodes back and labels one video. */
    public SynthVideo make(Path file, SynthContent content, long contentSeed, Distortion distortion, int level) {
        int w = settings.width();
        int h = settings.height();
        int n = settings.frames();
        SynthContent.Scene scene = content.scene(contentSeed, w, h);
        byte[][] pristine = new byte[n][];
        for (int f = 0; f < n; f++) {
            pristine[f] = new byte[w * h * 3];
            scene.render(f, pristine[f]);
        }
        SplittableRandom noise = new SplittableRandom(contentSeed ^ 0x5EEDL);
        int crf = distortion.crf(level);
        VideoWriter.Spec spec = VideoWriter.Spec.h264(w, h, crf).fps(settings.fps()).gop((int) Math.round(settings.fps() * 2));
        try (VideoWriter writer = VideoWriter.open(file, spec)) {
            for (int f = 0; f < n; f++) {
                writer.write(distortion.apply(pristine, f, level, w, h, noise));
            }
        } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
            throw new IllegalStateException("encoding " + file + " failed: " + e.getMessage(), e);
        }
        double[] ssim = new double[n];
        double[] psnr = new double[n];
        int[] decoded = {0};
        DecodeResult r;
        try (VideoFile vf = VideoFile.open(file, VideoLimits.defaults())) {
            r = new FrameReader(0).read(vf, IntStream.range(0, n).toArray(), (i, frame) -> {
                ssim[i] = FullReference.ssim(pristine[i], frame.data(), w, h);
                psnr[i] = FullReference.psnr(pristine[i], frame.data(), w, h);
                decoded[0]++;
            });
        }
        if (r.delivered() != n) {
            throw new IllegalStateException(file + ": encoded " + n + " frames but decoded " + r.delivered());
        }
        double meanSsim = Arrays.stream(ssim).average().orElse(0);
        double meanPsnr = Arrays.stream(psnr).average().orElse(0);
        return new SynthVideo(file, content, contentSeed, distortion, level, crf, n, meanSsim, meanPsnr,
                PseudoMos.fromSsim(meanSsim));
    }
}
