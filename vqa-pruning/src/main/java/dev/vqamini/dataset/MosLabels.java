package dev.vqamini.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Label files in the KoNViD-1k / LIVE-VQC format of the DOVER ecosystem: one video per line,
 * {@code filename, a, b, mos}, comma separated, the MOS last. The middle fields are carried but not interpreted.
 * No header line (upstream readers do not skip one); blank lines and lines starting with {@code #} are ignored
 * when reading, never written.
 */
public final class MosLabels {

    /** One labelled video: {@code name} as written in the file (relative to the dataset folder). */
    public record Entry(String name, String a, String b, double mos) {
    }

    private MosLabels() {
    }

    /** Reads a label file; errors name the file and line. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*");
            if (f.length < 2) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'filename, a, b, mos', got: " + line);
            }
            double mos;
            try {
                mos = Double.parseDouble(f[f.length - 1]);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": MOS '" + f[f.length - 1] + "' is not a number");
            }
            out.add(new Entry(f[0], f.length > 2 ? f[1] : "", f.length > 3 ? f[2] : "", mos));
        }
        return out;
    }

    /** Writes entries as {@code name, a, b, mos} lines (MOS with 4 decimals). */
    public static void write(Path file, List<Entry> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.name()).append(", ").append(e.a()).append(", ").append(e.b()).append(", ")
                    .append(String.format(Locale.ROOT, "%.4f", e.mos())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
