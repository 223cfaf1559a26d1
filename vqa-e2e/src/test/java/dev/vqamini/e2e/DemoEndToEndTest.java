package dev.vqamini.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.cli.VqaCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code vqa demo --once} with 20 synthetic videos: the embedded broker, the four services as processes, the stable
 * model, a pruned canary swapped in at 50 % in the middle; the metrics table holds both versions and exactly one
 * score per uploaded video.
 */
class DemoEndToEndTest {

    @Test
    void twentyVideosThroughAllFourServicesWithAVersionSwapInTheMiddle() throws Exception {
        Path work = Files.createTempDirectory("vqa-e2e");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(new TeeStream(out, captured), true, StandardCharsets.UTF_8));
            exit = VqaCommand.commandLine().execute("demo", "--once", "--videos", "10", "--dir", work.toString());
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        List<String> rows = text.lines().filter(l -> l.matches("^\\S+\\s+(stable|candidate)\\s.*")).toList();
        assertEquals(2, rows.size(), "one row per version:\n" + text);
        int videos = rows.stream().mapToInt(l -> Integer.parseInt(l.trim().split("\\s+")[3])).sum();
        assertEquals(20, videos, "exactly one score per video in the metrics table:\n" + text);
        assertTrue(text.contains("verdict:"), text);
    }

    /** Writes to the console and keeps a copy. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
