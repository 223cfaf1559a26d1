package dev.vqamini.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks of the files and folders an operator names on the command line, made before any model is loaded: each
 * failure says which option, what is wrong and what to give instead, as one line.
 */
final class Inputs {

    /** How a label file looks, its names relative to the folder given with {@code folderOption}. */
    static String labelFormat(String folderOption) {
        return "KoNViD-1k format: 'name, a, b, mos' per line, names relative to " + folderOption;
    }

    private Inputs() {
    }

    /** A label file given with {@code option}: exists and is a file. */
    static void labels(Path file, String option, String folderOption) {
        if (Files.isDirectory(file)) {
            Path inside = file.resolve("labels.txt");
            throw new IllegalArgumentException("labels file " + file + " is a directory (give " + option + " FILE, "
                    + labelFormat(folderOption) + (Files.isRegularFile(inside) ? "; did you mean " + inside + "?" : "") + ")");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("labels file " + file + " does not exist (give " + option + " FILE, "
                    + labelFormat(folderOption) + ")");
        }
        readable(file, "labels file");
    }

    /** A folder of videos given with {@code option}. */
    static void folder(Path dir, String option, String what, String purpose) {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException(what + " " + dir + " does not exist (give " + option + " DIR, " + purpose + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " " + dir + " is a file, not a folder (give " + option + " DIR)");
        }
    }

    /** Videos named as arguments: at least one must exist, or there is nothing to do. */
    static void someExist(List<Path> videos) {
        if (videos.stream().noneMatch(Files::exists)) {
            throw new IllegalArgumentException((videos.size() == 1 ? "video " + videos.get(0) + " does not exist"
                    : "none of the " + videos.size() + " videos exists (first: " + videos.get(0) + ")")
                    + " (give video files FFmpeg reads: .mp4, .mkv, .mov...)");
        }
    }

    private static void readable(Path file, String what) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read (permissions?)");
        }
    }
}
