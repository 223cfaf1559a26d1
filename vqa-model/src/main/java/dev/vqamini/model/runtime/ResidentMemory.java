package dev.vqamini.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Peak resident memory that a piece of work adds to this process, from Linux's {@code /proc/self}: the peak mark
 * (VmHWM) is reset before the work ({@code 5 > /proc/self/clear_refs}) and read after it. Where {@code /proc} is
 * missing the peak is -1. Native memory (ONNX Runtime's weights and activations) counts; a pre-touched Java heap
 * does not grow, so it does not.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {
    }

    /** What {@code work} returned and the resident bytes it added at its peak (-1 if unknown). */
    public record Measured<T>(T value, long peakBytes) {
    }

    public static <T> Measured<T> measure(Callable<T> work) throws Exception {
        long before = -1;
        try {
            Files.writeString(CLEAR_REFS, "5");
            before = bytes("VmRSS");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or /proc not writable: latency still counts, memory is unknown
        }
        T value = work.call();
        return new Measured<>(value, before < 0 ? -1 : bytes("VmHWM") - before);
    }

    /** A line of /proc/self/status in bytes, e.g. VmRSS (now) or VmHWM (the peak since the last reset). */
    static long bytes(String field) throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
