package dev.vqamini.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** synth, score and eval end to end on small generated videos with the bootstrap model. */
class VideoCommandsTest {

    @TempDir
    static Path dir;
    static Path data;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = VqaCommand.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void synthesise() {
        data = dir.resolve("synth");
        Run r = run("synth", "--out", data.toString(), "--count", "5", "--seconds", "1", "--width", "96", "--height", "64", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("[5/5]"), "progress on stderr: " + r.err());
    }

    @Test
    void viewsWritesTheArraysAndIndicesTheModelSees() throws Exception {
        Path video = Files.list(data).filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        Path out = dir.resolve("views");
        Run r = run("views", video.toString(), "--out", out.toString(), "--offsets", "centre");
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
    void synthWritesVideosAndKonvidStyleLabels() throws Exception {
        List<String> lines = Files.readAllLines(data.resolve("labels.txt"));
        assertEquals(5, lines.size());
        for (String line : lines) {
            String[] f = line.split(",\\s*");
            assertEquals(4, f.length, line);
            assertTrue(Files.size(data.resolve(f[0])) > 0, f[0]);
            double mos = Double.parseDouble(f[3]);
            assertTrue(mos >= 1 && mos <= 5, line);
        }
        JsonNode manifest = new ObjectMapper().readTree(data.resolve("synth.json").toFile());
        assertEquals(5, manifest.get("videos").size());
        assertEquals("blur", manifest.get("videos").get(0).get("distortion").asText());
    }

    @Test
    void scoreReportsEveryGoodFileAndOneLinePerBadFile() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.mp4"), "not a video");
        List<String> lines = Files.readAllLines(data.resolve("labels.txt"));
        String a = data.resolve(lines.get(0).split(",")[0]).toString();
        String b = data.resolve(lines.get(1).split(",")[0]).toString();
        Run r = run("score", a, broken.toString(), b, "--json", "--threads", "2", "--cpu");
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

        Run ok = run("score", a, "--seed", "3", "--threads", "2", "--cpu");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("technical") && ok.out().contains(a), ok.out());
    }

    @Test
    void evalPrintsAllAgreementMeasures() throws Exception {
        Run r = run("eval", "--dataset", data.toString(), "--labels", data.resolve("labels.txt").toString(),
                "--json", "--threads", "2", "--cpu", "--offsets", "centre");
        assertEquals(0, r.exit(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out()).get("metrics").get("fused");
        for (String k : List.of("srcc", "plcc_raw", "plcc", "krcc", "rmse")) {
            assertTrue(m.has(k), k);
        }
        assertTrue(Math.abs(m.get("srcc").asDouble()) <= 1);
        assertTrue(m.get("rmse").asDouble() >= 0);

        Files.writeString(dir.resolve("bad-labels.txt"), "missing.mp4, 0, 0, 3.0\n");
        Run bad = run("eval", "--dataset", data.toString(), "--labels", dir.resolve("bad-labels.txt").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("missing.mp4: no such file"), bad.err());
    }

    @Test
    void helpExplainsTheCommands() {
        Run r = run("score", "--help");
        assertEquals(0, r.exit());
        String text = r.out().replaceAll("\\s+", " "); // picocli wraps long lines
        assertTrue(text.contains("'path: reason'") && text.contains("--seed") && text.contains("Exit codes"), r.out());
        assertTrue(run("bench-decode", "--help").out().contains("1080p"));
        assertTrue(run("synth", "--help").out().contains("KoNViD"));
        // every command answers --help with exit code 0, whatever options it requires
        for (String command : List.of("prune", "bench", "eval", "import-weights", "model", "broker", "demo", "bench-model")) {
            Run help = run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: vqa " + command), help.out());
        }
    }
}
