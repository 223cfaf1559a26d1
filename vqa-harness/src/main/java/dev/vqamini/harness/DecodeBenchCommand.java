package dev.vqamini.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.video.VideoFile;
import dev.vqamini.video.VideoInfo;
import dev.vqamini.video.VideoLimits;
import dev.vqamini.video.synth.VideoWriter;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.views.ViewSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import dev.vqamini.video.FrameReader;

/** {@code vqa bench-decode}: time to turn a video file into both DOVER views (decode + sampling, no model). */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = {"Benchmark decoding + view sampling (a benchmark, not a test: it prints numbers).",
                "Times ViewSampler on VIDEO: one FFmpeg pass decoding the union of both views' frames, cutting the",
                "technical fragments and resizing the aesthetic frames. Without VIDEO it first encodes a 10 s 1080p",
                "H.264 video (24 fps, moving texture) into a temporary folder. Compares the default seek gap with",
                "decoding straight through."})
public final class DecodeBenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "Video to time (default: a generated 10 s 1080p H.264).")
    Path video;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs per setting after one warm-up (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path tmp = null;
        Path file = video;
        if (file == null) {
            tmp = Files.createTempDirectory("vqa-bench-decode");
            file = tmp.resolve("bench-1080p-10s.mp4");
            long g0 = System.nanoTime();
            System.err.println("bench-decode: encoding a 10 s 1080p H.264 test video...");
            generate(file, 1920, 1080, 240);
            System.err.printf("bench-decode: encoded %s in %.1f s%n", file, (System.nanoTime() - g0) / 1e9);
        }
        try {
            VideoInfo info = VideoFile.probe(file, VideoLimits.defaults());
            List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(time("seek gap " + ViewSettings.defaults().seekGap() + " (default)", file, ViewSettings.defaults()));
            rows.add(time("decode through (no seeks)", file, ViewSettings.defaults().withSeekGap(0)));
            rows.add(decodeOnly(file));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("video", file.toString());
            report.put("info", info.describe());
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("repeats", repeats);
            report.put("results", rows);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                System.out.printf("%s: %s, %d cores, median of %d%n", file, info.describe(),
                        Runtime.getRuntime().availableProcessors(), repeats);
                System.out.printf("%-30s %9s %9s %9s %8s %7s%n", "setting", "median s", "min s", "frames", "decoded", "seeks");
                for (Map<String, Object> r : rows) {
                    System.out.printf("%-30s %9.3f %9.3f %9d %8d %7d%n", r.get("setting"), r.get("median_s"), r.get("min_s"),
                            r.get("frames_delivered"), r.get("frames_seen"), r.get("seeks"));
                }
            }
            return 0;
        } finally {
            if (tmp != null) {
                try (var s = Files.list(tmp)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        }
    }

    private Map<String, Object> time(String name, Path file, ViewSettings settings) {
        ViewSampler sampler = new ViewSampler(settings);
        double[] t = new double[repeats];
        ViewSampler.Result last = null;
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            last = sampler.sampleWithInfo(file, 1000L + r); // a new seed each run: other frames, no lucky caching
            if (r >= 0) {
                t[r] = (System.nanoTime() - t0) / 1e9;
            }
            System.err.printf("bench-decode: %s run %d: %.3f s%n", name, r + 1, (System.nanoTime() - t0) / 1e9);
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("setting", name);
        row.put("median_s", sorted[sorted.length / 2]);
        row.put("min_s", sorted[0]);
        row.put("frames_delivered", last.decode().delivered());
        row.put("frames_seen", last.decode().framesSeen());
        row.put("seeks", last.decode().seeks());
        return row;
    }

    /** The floor: decoding every frame without RGB conversion or sampling. */
    private Map<String, Object> decodeOnly(Path file) {
        double[] t = new double[repeats];
        int frames = 0;
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            try (VideoFile f = VideoFile.open(file, VideoLimits.defaults())) {
                frames = FrameReader.countFrames(f, Integer.MAX_VALUE);
            }
            if (r >= 0) {
                t[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(t);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("setting", "decode only, every frame");
        row.put("median_s", t[t.length / 2]);
        row.put("min_s", t[0]);
        row.put("frames_delivered", 0);
        row.put("frames_seen", frames);
        row.put("seeks", 0);
        return row;
    }

    /** A textured, moving 1080p clip that is cheap to draw (integer arithmetic) but not trivial to decode. */
    static void generate(Path file, int w, int h, int frames) throws Exception {
        byte[] rgb = new byte[w * h * 3];
        VideoWriter.Spec spec = VideoWriter.Spec.h264(w, h, 23).fps(24).gop(48);
        try (VideoWriter writer = VideoWriter.open(file, spec)) {
            for (int f = 0; f < frames; f++) {
                int dx = f * 7;
                int dy = f * 3;
                for (int y = 0; y < h; y++) {
                    int yy = y + dy;
                    for (int x = 0; x < w; x++) {
                        int xx = x + dx;
                        int i = (y * w + x) * 3;
                        int checker = ((xx >> 5) + (yy >> 5) & 1) * 60;
                        int hash = (xx * 73856093 ^ yy * 19349663) >>> 27; // fine grain texture, 0..31
                        rgb[i] = (byte) (40 + checker + (xx & 127) + hash);
                        rgb[i + 1] = (byte) (50 + checker + (yy & 127) + hash);
                        rgb[i + 2] = (byte) (90 + ((xx + yy) & 63) + hash);
                    }
                }
                writer.write(rgb);
            }
        }
    }
}
