package dev.vqamini.model.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CPU a table was measured on, as Linux reports it: model name and the widest SIMD instruction set ONNX
 * Runtime's kernels can use. Elsewhere (no /proc/cpuinfo) the JVM's architecture and "unknown".
 *
 * @param model the first "model name" line
 * @param simd  "AVX-512", "AVX2", "AVX", "NEON" or "unknown"
 * @param cores the cores this process may use
 */
public record HostCpu(String model, String simd, int cores) {

    public static HostCpu current() {
        return parse(readCpuInfo(), Runtime.getRuntime().availableProcessors());
    }

    static HostCpu parse(List<String> cpuinfo, int cores) {
        String model = System.getProperty("os.arch");
        String flags = "";
        for (String line : cpuinfo) {
            String key = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
            if (key.equals("model name") && model.equals(System.getProperty("os.arch"))) {
                model = value;
            } else if ((key.equals("flags") || key.equals("Features")) && flags.isEmpty()) {
                flags = " " + value.toLowerCase(Locale.ROOT) + " ";
            }
        }
        String simd = flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2"
                : flags.contains(" avx ") ? "AVX" : flags.contains(" asimd ") ? "NEON" : "unknown";
        return new HostCpu(model, simd, cores);
    }

    /**
     * Channels a vectorised fp32 kernel processes at once: 16 floats per AVX-512 register, 8 per AVX2 register.
     * Pruned widths that are multiples of it leave no partial vector; but on this project's AVX-512 host widths at
     * multiples of 16 measured no faster than their neighbouring multiples of 8, so pruning rounds to 8 unless told
     * otherwise ({@code PruneConfig.defaultChannelMultiple()}, docs/benchmarks.md).
     */
    public int channelMultiple() {
        return simd.equals("AVX-512") ? 16 : 8;
    }

    private static List<String> readCpuInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
