package dev.vqamini.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPathsTest {

    @TempDir
    Path root;

    @Test
    void acceptsOnlyPathsBelowTheRootsAfterResolvingDotsAndLinks() throws Exception {
        Path data = Files.createDirectories(root.resolve("data/konvid"));
        Path outside = Files.createDirectories(root.resolve("secret"));
        Files.createSymbolicLink(data.resolve("escape"), outside);
        ServerPaths paths = new ServerPaths(List.of(root.resolve("data")), "vqa.prune.allowed-roots");

        assertEquals(data.toRealPath(), paths.check("calibrationDir", data.toString()));
        assertEquals(data.toRealPath(), paths.dataset("konvid"));
        for (String bad : List.of("/etc/passwd", data + "/../../secret", data.resolve("escape").toString(), "../../")) {
            ServerPaths.RefusedException e = assertThrows(ServerPaths.RefusedException.class, () -> paths.check("weights", bad), bad);
            assertTrue(e.getMessage().startsWith("weights: " + bad + " is outside the allowed folders (vqa.prune.allowed-roots)"),
                    e.getMessage());
        }
        for (String bad : List.of("..", "../secret", "a/b", "/etc", "")) {
            assertThrows(ServerPaths.RefusedException.class, () -> paths.dataset(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> paths.dataset("missing"));
    }

    @Test
    void withoutRootsEveryPathIsRefused() {
        ServerPaths none = new ServerPaths(List.of(), "vqa.prune.allowed-roots");
        ServerPaths.RefusedException e = assertThrows(ServerPaths.RefusedException.class,
                () -> none.check("weights", System.getProperty("java.io.tmpdir")));
        assertTrue(e.getMessage().contains("vqa.prune.allowed-roots is empty"), e.getMessage());
    }
}
