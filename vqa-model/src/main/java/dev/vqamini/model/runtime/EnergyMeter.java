package dev.vqamini.model.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.sun.management.OperatingSystemMXBean;

/**
 * Energy a piece of work used, from the CPU's RAPL counters where the kernel exposes them (the powercap folder,
 * {@code /sys/class/powercap/intel-rapl:N/energy_uj}, one counter per package, AMD's included), and the process's
 * CPU-seconds always, which are what remains where no counter is readable (containers, VMs, non-root users).
 *
 * <p>Only top-level zones ({@code intel-rapl:N}) are summed: their sub-zones (core, uncore, dram) are parts of the
 * package and would count twice. A counter wraps at its {@code max_energy_range_uj}; a delta across one wrap is
 * corrected (two wraps between samples, hours at package power, cannot be told apart). RAPL measures the whole
 * package, so on a shared machine it includes other processes' work: read it next to the load.
 *
 * <p>The root folder is configurable ({@link #ROOT_PROPERTY}, else {@code $VQA_POWERCAP_ROOT}, else
 * {@link #DEFAULT_ROOT}) so that tests can point it at a fake powercap tree.
 */
public final class EnergyMeter {

    public static final Path DEFAULT_ROOT = Path.of("/sys/class/powercap");
    public static final String ROOT_PROPERTY = "vqa.energy.powercap-root";
    public static final String ROOT_ENV = "VQA_POWERCAP_ROOT";
    /** What {@link Usage#source()} says when no counter was readable. */
    public static final String CPU_TIME = "process-cpu-time";

    private static final Pattern PACKAGE_ZONE = Pattern.compile("intel-rapl:\\d+");

    private final List<Zone> zones;
    private final LongSupplier cpuNanos;

    EnergyMeter(Path root, LongSupplier cpuNanos) {
        this.zones = zones(root);
        this.cpuNanos = Objects.requireNonNull(cpuNanos);
    }

    /** The meter for this machine: the configured powercap root, the process's CPU time. */
    public static EnergyMeter system() {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root == null || root.isBlank()) {
            root = System.getenv(ROOT_ENV);
        }
        return at(root == null || root.isBlank() ? DEFAULT_ROOT : Path.of(root));
    }

    /** A meter reading the powercap tree under {@code root}. */
    public static EnergyMeter at(Path root) {
        return new EnergyMeter(root, EnergyMeter::processCpuNanos);
    }

    /** Whether energy comes from RAPL counters (else only CPU-seconds are measured). */
    public boolean hasCounters() {
        return !zones.isEmpty();
    }

    /** "rapl:intel-rapl:0,intel-rapl:1" or {@link #CPU_TIME}. */
    public String source() {
        if (zones.isEmpty()) {
            return CPU_TIME;
        }
        return "rapl:" + String.join(",", zones.stream().map(z -> z.name).toList());
    }

    /** Counters now. */
    public Sample sample() {
        long[] uj = new long[zones.size()];
        for (int i = 0; i < uj.length; i++) {
            uj[i] = zones.get(i).read();
        }
        return new Sample(uj, cpuNanos.getAsLong(), System.nanoTime());
    }

    /** What was used from {@code start} to now. */
    public Usage since(Sample start) {
        return between(start, sample());
    }

    /** What was used between two samples of this meter. */
    public Usage between(Sample start, Sample end) {
        double joules = Double.NaN;
        if (!zones.isEmpty()) {
            long total = 0;
            for (int i = 0; i < zones.size(); i++) {
                long a = start.microjoules[i];
                long b = end.microjoules[i];
                long max = zones.get(i).maxRange;
                if (a < 0 || b < 0 || (b < a && max <= 0)) {
                    total = -1; // a counter became unreadable, or wrapped with no known range: no energy figure
                    break;
                }
                total += b >= a ? b - a : max - a + b;
            }
            joules = total < 0 ? Double.NaN : total / 1e6;
        }
        return new Usage(joules, (end.cpuNanos - start.cpuNanos) / 1e9, (end.wallNanos - start.wallNanos) / 1e9, source());
    }

    /** Counter values at one moment (µJ per zone, -1 if unreadable), process CPU and wall clock in ns. */
    public record Sample(long[] microjoules, long cpuNanos, long wallNanos) {
    }

    /**
     * Energy and time over an interval.
     *
     * @param joules     RAPL energy, NaN when no counter was readable
     * @param cpuSeconds CPU time of this process (all its threads, ONNX Runtime's included)
     * @param wallSeconds elapsed time
     * @param source     where joules came from, {@link #CPU_TIME} when they did not
     */
    public record Usage(double joules, double cpuSeconds, double wallSeconds, String source) {

        public static Usage zero(String source) {
            return new Usage(0, 0, 0, source);
        }

        public Usage plus(Usage other) {
            return new Usage(joules + other.joules, cpuSeconds + other.cpuSeconds, wallSeconds + other.wallSeconds, source);
        }

        /** This usage per unit of work, e.g. per clip. */
        public Usage per(double units) {
            return new Usage(joules / units, cpuSeconds / units, wallSeconds / units, source);
        }

        public boolean hasJoules() {
            return !Double.isNaN(joules);
        }
    }

    private record Zone(String name, Path energy, long maxRange) {
        long read() {
            try {
                return Long.parseLong(Files.readString(energy).trim());
            } catch (IOException | NumberFormatException | SecurityException e) {
                return -1;
            }
        }
    }

    private static List<Zone> zones(Path root) {
        List<Zone> zones = new ArrayList<>();
        if (root == null || !Files.isDirectory(root)) {
            return zones;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (!PACKAGE_ZONE.matcher(name).matches()) {
                    continue;
                }
                Zone zone = new Zone(name, dir.resolve("energy_uj"), maxRange(dir.resolve("max_energy_range_uj")));
                if (zone.read() >= 0) { // unreadable (root-only since 2020 on most kernels): leave it out
                    zones.add(zone);
                }
            }
        } catch (IOException | SecurityException e) {
            return new ArrayList<>();
        }
        return zones;
    }

    private static long maxRange(Path file) {
        try {
            long v = Long.parseLong(Files.readString(file).trim());
            return Math.max(v, 0);
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 0; // unknown: a wrap cannot be corrected
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return 0;
    }
}
