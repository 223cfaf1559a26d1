package dev.vqamini.cli;

import dev.vqamini.testkit.CapturedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Arrays;

/** views, score and eval end to end on small generated videos with the bootstrap model. */
class VideoCommandsTest {

    @TempDir
    static Path dir;
    static Path data;

    static CapturedRun run(String... args) {
        return CapturedRun.of(() -> VqaCommand.commandLine().execute(args));
    }

    @BeforeAll
    static void synthesise() throws Exception {
        data = dir.resolve("synth");
        SynthVideos.write(data, 5, 1, 96, 64);
    }

    @Test
    void viewsWritesTheArraysAndIndicesTheModelSees() throws Exception {
        Path video = Files.list(data).filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        Path out = dir.resolve("views");
        CapturedRun r = run("views", video.toString(), "--out", out.toString(), "--offsets", "centre");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("views.json").toFile());
        int frames = json.get("frames").asInt();
        assertEquals(96, json.get("width").asInt());
        assertEquals(3, json.get("technical_frames").size());
        assertEquals(1, json.get("aesthetic_frames").size());
        // thirds of the video, offsets 0 on a 1 s clip (L < 64): clip c starts at c * (F / 3)
        for (int c = 0; c < 3; c++) {
            assertEquals(c * (frames / 3), json.get("technical_frames").get(c).get(0).asInt());
            assertEquals(32, json.get("technical_frames").get(c).size());
        }
        long header = 128; // numpy v1 header, padded to 64 bytes
        assertEquals(header + 3L * 3 * 32 * 224 * 224, Files.size(out.resolve("technical.npy")));
        assertEquals(header + 3L * 32 * 224 * 224, Files.size(out.resolve("aesthetic.npy")));
        String npyHeader = new String(Files.readAllBytes(out.resolve("technical.npy")), 0, 128, StandardCharsets.ISO_8859_1);
        assertTrue(npyHeader.contains("'descr': '|u1'") && npyHeader.contains("(3, 3, 32, 224, 224)"), npyHeader);
        assertEquals(1, run("views", dir.resolve("missing.mp4").toString(), "--out", out.toString()).exit());
    }

    @Test
    void scoreReportsEveryGoodFileAndOneLinePerBadFile() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.mp4"), "not a video");
        List<String> lines = Files.readAllLines(data.resolve("labels.txt"));
        String a = data.resolve(lines.get(0).split(",")[0]).toString();
        String b = data.resolve(lines.get(1).split(",")[0]).toString();
        CapturedRun r = run("score", a, broken.toString(), b, "--json", "--threads", "2", "--cpu");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(broken + ": not a readable video"), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("results").size());
        for (JsonNode row : json.get("results")) {
            double fused = row.get("fused").asDouble();
            assertTrue(fused >= 0 && fused <= 1, "fused " + fused); // a sigmoid; bootstrap weights may sit near 0
            assertTrue(Double.isFinite(row.get("technical").asDouble()));
        }
        assertEquals(broken.toString(), json.get("failures").get(0).get("file").asText());

        CapturedRun ok = run("score", a, "--seed", "3", "--threads", "2", "--cpu");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("technical") && ok.out().contains(a), ok.out());
    }

    @Test
    void evalPrintsAllAgreementMeasures() throws Exception {
        CapturedRun r = run("eval", "--dataset", data.toString(), "--labels", data.resolve("labels.txt").toString(),
                "--json", "--threads", "2", "--cpu", "--offsets", "centre");
        assertEquals(0, r.exit(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out()).get("metrics").get("fused");
        for (String k : List.of("srcc", "plcc_raw", "plcc", "krcc", "rmse")) {
            assertTrue(m.has(k), k);
        }
        // every measure recomputed here from the printed per-video scores and the labels file's MOS
        JsonNode report = new ObjectMapper().readTree(r.out());
        Map<String, Double> labelled = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("labels.txt"))) {
            String[] f = line.split(",\\s*");
            labelled.put(f[0], Double.parseDouble(f[3]));
        }
        JsonNode results = report.get("results");
        assertEquals(labelled.size(), results.size(), results.toString());
        double[] mos = new double[results.size()];
        for (int i = 0; i < mos.length; i++) {
            mos[i] = results.get(i).get("mos").asDouble();
            assertEquals(labelled.get(results.get(i).get("file").asText()), mos[i], 0.0, results.get(i).toString());
        }
        for (String branch : List.of("fused", "technical", "aesthetic")) {
            double[] x = new double[mos.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = results.get(i).get(branch).asDouble();
            }
            JsonNode got = report.get("metrics").get(branch);
            assertEquals(pearson(ranks(x), ranks(mos)), got.get("srcc").asDouble(), 1e-9, branch + " srcc");
            assertEquals(pearson(x, mos), got.get("plcc_raw").asDouble(), 1e-9, branch + " plcc_raw");
            assertEquals(kendallTauB(x, mos), got.get("krcc").asDouble(), 1e-9, branch + " krcc");
            double[] mapped = new double[x.length];
            JsonNode fit = got.get("logistic");
            if (fit.isNull()) { // no logistic fit: least-squares line, PLCC stays the raw one
                double[] line = leastSquares(x, mos);
                for (int i = 0; i < x.length; i++) {
                    mapped[i] = line[0] + line[1] * x[i];
                }
                assertEquals(got.get("plcc_raw").asDouble(), got.get("plcc").asDouble(), 0.0, branch);
            } else { // f(x) = (b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2
                double b1 = fit.get(0).asDouble(), b2 = fit.get(1).asDouble(), b3 = fit.get(2).asDouble(), b4 = fit.get(3).asDouble();
                for (int i = 0; i < x.length; i++) {
                    mapped[i] = (b1 - b2) / (1 + Math.exp(-(x[i] - b3) / Math.abs(b4))) + b2;
                }
                assertEquals(pearson(mapped, mos), got.get("plcc").asDouble(), 1e-9, branch + " plcc");
            }
            double se = 0;
            for (int i = 0; i < x.length; i++) {
                se += (mapped[i] - mos[i]) * (mapped[i] - mos[i]);
            }
            assertEquals(Math.sqrt(se / x.length), got.get("rmse").asDouble(), 1e-9, branch + " rmse");
        }

        Files.writeString(dir.resolve("bad-labels.txt"), "missing.mp4, 0, 0, 3.0\n");
        CapturedRun bad = run("eval", "--dataset", data.toString(), "--labels", dir.resolve("bad-labels.txt").toString());
        assertEquals(1, bad.exit());
        // checked before any model loads: the label file names no video of the dataset folder
        assertTrue(bad.err().contains("none of the 1 videos in " + dir.resolve("bad-labels.txt")), bad.err());
        assertTrue(bad.err().contains("missing.mp4") && bad.err().contains("give --dataset"), bad.err());
    }

    /** Ranks from 1, ties sharing their average rank. */
    private static double[] ranks(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int below = 0;
            int equal = 0;
            for (double y : x) {
                below += y < x[i] ? 1 : 0;
                equal += y == x[i] ? 1 : 0;
            }
            r[i] = below + (equal + 1) / 2.0;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double kendallTauB(double[] x, double[] y) {
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double s = Math.signum(x[i] - x[j]) * Math.signum(y[i] - y[j]);
                concordant += s > 0 ? 1 : 0;
                discordant += s < 0 ? 1 : 0;
                tiesX += x[i] == x[j] && y[i] != y[j] ? 1 : 0;
                tiesY += y[i] == y[j] && x[i] != x[j] ? 1 : 0;
            }
        }
        return (concordant - discordant) / Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
    }

    /** Intercept and slope of the least-squares line of y on x. */
    private static double[] leastSquares(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return new double[] {my - sxy / sxx * mx, sxy / sxx};
    }

    @Test
    void helpExplainsTheCommands() {
        CapturedRun r = run("score", "--help");
        assertEquals(0, r.exit());
        String text = r.out().replaceAll("\\s+", " "); // picocli wraps long lines
        assertTrue(text.contains("'path: reason'") && text.contains("--seed") && text.contains("Exit codes"), r.out());
        // every command answers --help with exit code 0, whatever options it requires
        for (String command : List.of("prune", "eval", "import-weights", "model", "broker")) {
            CapturedRun help = run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: vqa " + command), help.out());
        }
    }
}
