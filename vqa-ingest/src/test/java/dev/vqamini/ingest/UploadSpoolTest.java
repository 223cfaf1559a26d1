package dev.vqamini.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool: bytes kept per upload id, a byte cap, accounting that survives a restart, and no other upload's file. */
class UploadSpoolTest {

    @TempDir
    Path dir;

    private Path file(String name, int bytes) throws Exception {
        Path f = dir.resolve("incoming").resolve(name);
        Files.createDirectories(f.getParent());
        return Files.write(f, new byte[bytes]);
    }

    @Test
    void takesUpToTheCapThenRefusesAndReleasingMakesRoom() throws Exception {
        UploadSpool spool = new UploadSpool(dir.resolve("spool"), 2500);
        Path a = spool.take(file("a.mp4", 1000), "u1", "a.mp4").orElseThrow();
        spool.take(file("b.mp4", 1000), "u2", "b.mp4").orElseThrow();
        Path c = file("c.mp4", 1000);
        assertEquals(Optional.empty(), spool.take(c, "u3", "c.mp4"), "over the cap of 2500 bytes");
        assertTrue(Files.exists(c), "a refused file stays where it was");
        assertEquals(2000, spool.usedBytes());
        assertEquals(spool.root().resolve("u1").resolve("a.mp4"), a);

        // A restart counts what the last run left.
        assertEquals(2000, new UploadSpool(dir.resolve("spool"), 2500).usedBytes());

        spool.release(a);
        assertFalse(Files.exists(a.getParent()), "the upload's folder goes too");
        assertEquals(1000, spool.usedBytes());
        assertTrue(spool.take(c, "u3", "c.mp4").isPresent());
    }

    @Test
    void findsOnlyTheUploadsOwnFileAndGivesBackOnFailure() throws Exception {
        UploadSpool spool = new UploadSpool(dir.resolve("spool"), 1 << 20);
        Path original = file("v.mp4", 10);
        Path kept = spool.take(original, "u1", "../../etc/v.mp4").orElseThrow();
        assertEquals(spool.root().resolve("u1").resolve("v.mp4"), kept, "the name is a file name, never a path");
        assertEquals(Optional.of(kept), spool.find(kept.toUri().toString(), "u1"));
        assertEquals(Optional.empty(), spool.find(kept.toUri().toString(), "u2"), "another upload's file");
        assertEquals(Optional.empty(), spool.find(kept.toUri().toString(), "../u1"));
        assertEquals(Optional.empty(), spool.find("http://x/v.mp4", "u1"));
        assertThrows(IllegalArgumentException.class, () -> spool.take(original, "../x", "v.mp4"));

        spool.giveBack(kept, original);
        assertTrue(Files.exists(original));
        assertEquals(0, spool.usedBytes());
        assertFalse(Files.exists(kept.getParent()));
    }
}
