package dev.vqamini.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    @Test
    void countsNativeMemoryThatTheWorkTouches() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
        ResidentMemory.Measured<Integer> m = ResidentMemory.measure(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(64 << 20);
            for (int i = 0; i < b.capacity(); i += 4096) {
                b.put(i, (byte) 1);
            }
            return b.capacity();
        });
        assertEquals(64 << 20, m.value());
        assertTrue(m.peakBytes() >= 56L << 20 && m.peakBytes() < 512L << 20, "peak " + m.peakBytes());
    }
}
