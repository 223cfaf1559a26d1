package dev.vqamini.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of videos and, optionally, their labels: the labelled videos when a label file is given (a label
 * naming a missing file is an error), else every video file in the folder.
 */
public final class DatasetFolder {

    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mkv", "mov", "avi", "webm", "m4v", "ts", "mpg", "mpeg", "y4m");

    /** One video of the dataset. */
    public record Entry(String name, Path file, OptionalDouble mos) {
    }

    private DatasetFolder() {
    }

    /** The label file to use: the one given, else {@code labels.txt} in the folder if present, else none. */
    public static Path defaultLabels(Path dir, Path given) {
        if (given != null) {
            return given;
        }
        Path candidate = dir.resolve("labels.txt");
        return Files.isRegularFile(candidate) ? candidate : null;
    }

    public static List<Entry> list(Path dir, Path labelFile) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        List<Entry> entries = new ArrayList<>();
        if (labelFile != null) {
            for (MosLabels.Entry e : MosLabels.read(labelFile)) {
                Path file = dir.resolve(e.name());
                if (!Files.isRegularFile(file)) {
                    throw new IOException(labelFile + ": labelled video '" + e.name() + "' is not in " + dir);
                }
                entries.add(new Entry(e.name(), file, OptionalDouble.of(e.mos())));
            }
            return entries;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(DatasetFolder::isVideo).sorted()
                    .forEach(f -> entries.add(new Entry(f.getFileName().toString(), f, OptionalDouble.empty())));
        }
        return entries;
    }

    static boolean isVideo(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Files.isRegularFile(f) && dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase());
    }
}
