package dev.vqamini.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vqamini.harness.HarnessCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code vqa demo --prometheus} with 20 synthetic videos: the embedded broker, the four services as processes, the
 * stable model, a pruned canary swapped in at 50 % in the middle, a broken upload and a damaged model version; the
 * metrics table holds both versions and exactly one score per uploaded video. While the system keeps running, a real
 * Prometheus scrapes it with deploy/prometheus' own configuration and rules, and {@code vqa check-queries} evaluates
 * every dashboard and rule query through its HTTP API: each must be valid and return series.
 */
class DemoEndToEndTest {

    private static final Pattern PROMETHEUS = Pattern.compile("Prometheus (http://\\S+)");

    @Test
    void twentyVideosThroughAllFourServicesWithAVersionSwapAndEveryDeployedQueryAnswered() throws Exception {
        boolean prometheus = DeployTools.onPath("prometheus").isPresent();
        if (!prometheus && System.getenv("VQA_REQUIRE_DEPLOY_TOOLS") != null) {
            fail("prometheus is not on PATH (apt-get install prometheus; .ci/run does)");
        }
        Path work = Files.createTempDirectory("vqa-e2e");
        List<String> args = new ArrayList<>(List.of("demo", "--videos", "10", "--dir", work.toString()));
        if (prometheus) {
            args.add("--prometheus");
        }
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread demo = new Thread(() -> exit.set(HarnessCommands.commandLine().execute(args.toArray(String[]::new))), "demo");
        try {
            System.setOut(new PrintStream(new TeeStream(out, captured), true, StandardCharsets.UTF_8));
            demo.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(40).toNanos();
            while (demo.isAlive() && !captured.toString(StandardCharsets.UTF_8).contains("running; Ctrl-C") && System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            String text = captured.toString(StandardCharsets.UTF_8);
            assertTrue(demo.isAlive(), "the demo stopped (exit " + exit.get() + ") before it was running:\n" + text);
            // the last table, after both batches (the first, after the first batch, shows the stable version alone)
            String lastTable = text.substring(text.lastIndexOf("model version"));
            List<String> rows = lastTable.lines().filter(l -> l.matches("^\\S+\\s+(stable|candidate)\\s.*")).toList();
            assertEquals(2, rows.size(), "one row per version:\n" + text);
            int videos = rows.stream().mapToInt(l -> Integer.parseInt(l.trim().split("\\s+")[3])).sum();
            assertEquals(20, videos, "exactly one score per video in the metrics table:\n" + text);
            assertTrue(text.contains("verdict:"), text);
            assertTrue(text.contains("broken-upload.mp4 (a text file): failed, on vqa.dlq"), "the broken upload is dead-lettered:\n" + text);
            assertTrue(text.contains("-damaged refused by scorer-service"), "the damaged version is refused:\n" + text);
            // The rollout controller: the equal candidate walks its steps to stable, the inverted one is rolled back.
            assertTrue(text.contains("decision: promote at step 1"), "the equal candidate is promoted:\n" + text);
            assertTrue(text.contains("decision: roll_back at step 0"), "the inverted candidate is rolled back:\n" + text);
            if (prometheus) {
                Matcher m = PROMETHEUS.matcher(text);
                assertTrue(m.find(), text);
                int checked = HarnessCommands.commandLine().execute("check-queries", "--prometheus", m.group(1),
                        "--deploy", DeployTools.DEPLOY.toString(), "--wait", "180");
                String report = captured.toString(StandardCharsets.UTF_8);
                assertEquals(0, checked, "every dashboard and rule query valid and answered:\n" + report.substring(report.indexOf("running; Ctrl-C")));
            } else {
                System.out.println("prometheus not on PATH: the dashboard and rule queries were not evaluated");
            }
        } finally {
            demo.interrupt(); // as Ctrl-C: the services, Prometheus and the broker stop
            demo.join(Duration.ofMinutes(2).toMillis());
            System.setOut(out);
        }
        assertEquals(0, exit.get(), "demo exit code after being stopped");
    }

    /** Writes to the console and keeps a copy. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
