package dev.vqamini.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A label list in the DOVER ecosystem's KoNViD-1k / LIVE-VQC format: one video per line,
 * {@code filename, a, b, mos} (comma separated; the last field is the MOS). Blank lines and lines starting
 * with '#' are skipped.
 */
public final class LabelFile {

    private LabelFile() {
    }

    /** File name to MOS, in file order; a malformed line is an error naming the file and line. */
    public static Map<String, Double> read(Path file) throws IOException {
        Map<String, Double> labels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",");
            try {
                if (fields.length < 2) {
                    throw new NumberFormatException("expected 'filename, a, b, mos'");
                }
                labels.put(fields[0].trim(), Double.parseDouble(fields[fields.length - 1].trim()));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": bad label line '" + line + "': " + e.getMessage(), e);
            }
        }
        return labels;
    }

    /** Writes labels in the same format ({@code filename, 0, 0, mos}). */
    public static void write(Path file, Map<String, Double> labels) throws IOException {
        StringBuilder sb = new StringBuilder();
        labels.forEach((name, mos) -> sb.append(name).append(", 0, 0, ").append(String.format(java.util.Locale.ROOT, "%.6f", mos))
                .append('\n'));
        Files.writeString(file, sb.toString());
    }
}
