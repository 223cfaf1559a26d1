package dev.vqamini.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch file per fuzz target, rewritten for every input (the readers take a path). */
final class FuzzFiles {

    private FuzzFiles() {
    }

    static Path temp(String prefix, String suffix) {
        try {
            Path p = Files.createTempFile(prefix, suffix);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
