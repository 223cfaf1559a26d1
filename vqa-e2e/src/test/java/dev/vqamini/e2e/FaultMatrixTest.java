package dev.vqamini.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.harness.HarnessCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code vqa faults --json}: the broker and the services as separate processes, each scenario's process killed with
 * -9 and restarted (or poison records and a bad version sent in) while real uploads flow, and the overlapping
 * outage (scorer, ingest and broker killed one after the other, poison in between). Every scenario must end with
 * nothing lost, each video counted once by metrics-service and every service ready; its line is printed for the log.
 */
class FaultMatrixTest {

    @Test
    void nothingIsLostWhateverIsKilled() throws Exception {
        Path work = Files.createTempDirectory("vqa-faults");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = HarnessCommands.commandLine().execute("faults", "--json", "--videos", "4", "--dir", work.toString());
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : text.lines().filter(l -> l.startsWith("{")).toList()) {
            lines.add(json.readTree(l));
        }
        assertEquals(List.of("ingest", "scorer-one", "scorer-all", "sigterm", "broker", "metrics-state", "poison",
                "bad-version", "half-version", "overlap"),
                lines.stream().map(l -> l.get("scenario").asText()).toList(), text);
        for (JsonNode l : lines) {
            String s = l.get("scenario").asText();
            int uploads = s.equals("overlap") ? 30 : 4;
            assertEquals(uploads, l.get("accepted").asInt(), s + ": accepted\n" + l);
            assertEquals(0, l.get("lost").asInt(), s + ": lost\n" + l + "\nlogs in " + work.resolve("logs"));
            assertEquals(uploads, l.get("scored").asInt() + l.get("deadLetters").asInt(), s + "\n" + l);
            assertEquals(l.get("scored").asInt(), l.get("counted").asInt(), s + ": metrics-service counts each video once\n" + l);
            assertTrue(l.get("ready").asBoolean(), s + ": a service not ready afterwards\n" + l);
        }
        JsonNode overlap = lines.get(lines.size() - 1);
        assertEquals(0, overlap.get("deadLetters").asInt(), "a good video ends with a score, never a dead letter\n" + overlap);
        assertEquals(0, exit, text);
    }
}
