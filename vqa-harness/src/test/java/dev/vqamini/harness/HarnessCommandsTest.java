package dev.vqamini.harness;

import dev.vqamini.testkit.CapturedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command line: the operator commands and the harness's, listed apart; vqa synth on small videos. */
class HarnessCommandsTest {

    static CapturedRun run(String... args) {
        return CapturedRun.of(() -> HarnessCommands.commandLine().execute(args));
    }

    @Test
    void synthWritesVideosAndKonvidStyleLabels(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("synth");
        CapturedRun r = run("synth", "--out", data.toString(), "--count", "5", "--seconds", "1", "--width", "96", "--height", "64", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("[5/5]"), "progress on stderr: " + r.err());
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
    void helpListsTheOperatorCommandsAndTheHarnessApart() {
        CapturedRun r = run("--help");
        assertEquals(0, r.exit(), r.err());
        String help = r.out();
        int operators = help.indexOf("Operator commands:");
        int harness = help.indexOf("Test and benchmark harness");
        assertTrue(operators >= 0 && harness > operators, help);
        for (String command : List.of("score", "eval", "prune", "quantize", "publish", "rollout", "token", "signing-key", "broker", "check-queries")) {
            int at = help.indexOf("\n  " + command + " ");
            assertTrue(at > operators && at < harness, command + " among the operator commands: " + help);
        }
        for (String command : List.of("demo", "faults", "soak", "synth", "bench", "bench-model", "bench-decode")) {
            assertTrue(help.indexOf("\n  " + command + " ") > harness, command + " in the harness: " + help);
        }
        assertFalse(help.contains("bench-worker"), help);
    }

    @Test
    void everyCommandAnswersHelp() {
        assertTrue(run("bench-decode", "--help").out().contains("1080p"));
        assertTrue(run("synth", "--help").out().contains("KoNViD"));
        // every command answers --help with exit code 0, whatever options it requires, and its text formats cleanly
        for (String command : HarnessCommands.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            CapturedRun help = run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: vqa " + command), help.out());
            assertFalse((help.out() + help.err()).contains("picocli WARN"), command + ": " + help.out() + help.err());
        }
    }
}
