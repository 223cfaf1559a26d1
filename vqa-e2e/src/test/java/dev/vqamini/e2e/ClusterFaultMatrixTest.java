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
 * {@code vqa faults --cluster --json}: three KRaft broker processes (every topic replicated three times,
 * min.insync.replicas 2), ingest, two scorers and metrics-service as processes, and while uploads flow the leader of
 * vqa.fragments killed -9, a follower controller and then the active controller killed, a scorer added and one
 * stopped, and a broker frozen with SIGSTOP. Every line must lose nothing, metrics-service must count each video
 * once, and every partition must be back to three in-sync replicas afterwards (the line's ready flag).
 */
class ClusterFaultMatrixTest {

    @Test
    void nothingIsLostWhenBrokersFailOverOrScorersComeAndGo() throws Exception {
        Path work = Files.createTempDirectory("vqa-cluster-faults");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = HarnessCommands.commandLine().execute("faults", "--cluster", "--json", "--videos", "4", "--dir",
                    work.toString());
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
        assertEquals(List.of("leader", "controller", "active-controller", "scale", "pause"),
                lines.stream().map(l -> l.get("scenario").asText()).toList(), text);
        for (JsonNode l : lines) {
            String s = l.get("scenario").asText();
            int uploads = s.equals("scale") ? 8 : 4;
            assertEquals(uploads, l.get("accepted").asInt(), s + ": accepted\n" + l);
            assertEquals(0, l.get("lost").asInt(), s + ": lost\n" + l + "\nlogs in " + work.resolve("logs"));
            assertEquals(uploads, l.get("scored").asInt(), s + ": every video scored, none dead-lettered\n" + l);
            assertEquals(uploads, l.get("counted").asInt(), s + ": metrics-service counts each video once\n" + l);
            assertTrue(l.get("ready").asBoolean(), s + ": not ready, or partitions short of 3 in-sync replicas\n" + l);
        }
        assertEquals(0, exit, text);
    }
}
