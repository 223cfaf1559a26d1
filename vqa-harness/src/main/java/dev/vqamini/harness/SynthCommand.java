package dev.vqamini.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.dataset.MosLabels;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Files;

/** {@code vqa synth}: a labelled synthetic dataset (videos + KoNViD-style labels) for tests and smoke evaluations. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate synthetic videos with graded distortions and pseudo-MOS labels.",
                "Each video is a seeded moving scene (gradients, checkerboard, shapes, noise texture) with one distortion",
                "(blur, noise, H.264 compression, down-up scaling, frame drops, over-exposure) at level 1..5, encoded as",
                "H.264/MP4 with libx264. Its label is a pseudo-MOS from the mean SSIM of the decoded video against the",
                "pristine frames: mos = 1 + 4 * clamp((ssim - 0.55) / 0.43, 0, 1).",
                "Writes DIR/labels.txt in the KoNViD-1k format 'filename, level, content, mos' (no header) and",
                "DIR/synth.json with every detail. Progress goes to stderr."})
public final class SynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    Path out;

    @Option(names = "--count", defaultValue = "60", paramLabel = "N", description = "Number of videos (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Dataset seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seconds", defaultValue = "4", description = "Duration per video (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--width", defaultValue = "320", description = "Frame width, even (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "240", description = "Frame height, even (default ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--fps", defaultValue = "24", description = "Frame rate (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--threads", defaultValue = "2", description = "Videos generated in parallel (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print the dataset description as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        SynthGenerator generator = new SynthGenerator(new SynthGenerator.Settings(width, height, fps, seconds));
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        List<SynthVideo> videos = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<SynthVideo>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    SynthVideo v = generator.generateOne(out, index, seed);
                    System.err.printf("synth: [%d/%d] %s ssim %.3f mos %.2f%n", done.incrementAndGet(), count,
                            v.file().getFileName(), v.ssim(), v.mos());
                    return v;
                }));
            }
            for (Future<SynthVideo> f : futures) {
                videos.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<MosLabels.Entry> labels = new ArrayList<>();
        for (SynthVideo v : videos) {
            labels.add(new MosLabels.Entry(v.file().getFileName().toString(), Integer.toString(v.level()),
                    v.content().name().toLowerCase(), v.mos()));
        }
        MosLabels.write(out.resolve("labels.txt"), labels);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("out", out.toString());
        report.put("labels", out.resolve("labels.txt").toString());
        report.put("seed", seed);
        report.put("width", width);
        report.put("height", height);
        report.put("fps", fps);
        report.put("seconds", seconds);
        report.put("mos_mapping", "1 + 4 * clamp((mean_ssim - 0.55) / 0.43, 0, 1)");
        report.put("elapsed_s", (System.nanoTime() - t0) / 1e9);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SynthVideo v : videos) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", v.file().getFileName().toString());
            r.put("content", v.content().name().toLowerCase());
            r.put("content_seed", v.contentSeed());
            r.put("distortion", v.distortion().name().toLowerCase());
            r.put("level", v.level());
            r.put("crf", v.crf());
            r.put("frames", v.frames());
            r.put("ssim", v.ssim());
            r.put("psnr", v.psnr());
            r.put("mos", v.mos());
            rows.add(r);
        }
        report.put("videos", rows);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(out.resolve("synth.json").toFile(), report);
        if (json) {
            System.out.println(mapper.writeValueAsString(report));
        } else {
            System.out.printf("%-44s %-12s %5s %7s %7s %6s%n", "file", "distortion", "level", "ssim", "psnr", "mos");
            for (SynthVideo v : videos) {
                System.out.printf("%-44s %-12s %5d %7.4f %7.2f %6.2f%n", v.file().getFileName(),
                        v.distortion().name().toLowerCase(), v.level(), v.ssim(), v.psnr(), v.mos());
            }
            System.out.printf("%d videos in %.1f s -> %s (labels.txt, synth.json)%n", videos.size(),
                    (System.nanoTime() - t0) / 1e9, out);
        }
        return 0;
    }
}
