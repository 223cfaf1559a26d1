package dev.vqamini.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meter on a fake powercap tree: package zones summed, sub-zones ignored, wraps corrected, CPU time as fallback. */
class EnergyMeterTest {

    @TempDir
    Path root;

    private final AtomicLong cpu = new AtomicLong();

    private void zone(String name, long energy, Long maxRange) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("energy_uj"), energy + "\n");
        Files.writeString(dir.resolve("name"), name.chars().filter(c -> c == ':').count() == 1 ? "package" : "core");
        if (maxRange != null) {
            Files.writeString(dir.resolve("max_energy_range_uj"), maxRange + "\n");
        }
    }

    private EnergyMeter meter() {
        return new EnergyMeter(root, cpu::get);
    }

    @Test
    void sumsPackageZonesAndIgnoresTheirSubZones() throws IOException {
        zone("intel-rapl:0", 1_000_000, 262_143_328_850L);
        zone("intel-rapl:1", 5_000_000, 262_143_328_850L);
        zone("intel-rapl:0:0", 700_000, 262_143_328_850L); // core, part of package 0
        EnergyMeter m = meter();
        assertTrue(m.hasCounters());
        assertEquals("rapl:intel-rapl:0,intel-rapl:1", m.source());
        EnergyMeter.Sample start = m.sample();
        zone("intel-rapl:0", 3_500_000, 262_143_328_850L);
        zone("intel-rapl:1", 6_000_000, 262_143_328_850L);
        zone("intel-rapl:0:0", 99_000_000, 262_143_328_850L);
        cpu.addAndGet(2_500_000_000L);
        EnergyMeter.Usage u = m.since(start);
        assertEquals(3.5, u.joules(), 1e-12);
        assertEquals(2.5, u.cpuSeconds(), 1e-12);
        assertEquals(1.75, u.per(2).joules(), 1e-12);
    }

    @Test
    void correctsACounterThatWrappedAtItsRange() throws IOException {
        zone("intel-rapl:0", 9_000_000, 10_000_000L);
        EnergyMeter m = meter();
        EnergyMeter.Sample start = m.sample();
        zone("intel-rapl:0", 500_000, 10_000_000L); // 1 J to the wrap, 0.5 J after it
        assertEquals(1.5, m.since(start).joules(), 1e-12);
    }

    @Test
    void aWrapWithoutAKnownRangeGivesNoEnergyRatherThanAWrongOne() throws IOException {
        zone("intel-rapl:0", 9_000_000, null);
        EnergyMeter m = meter();
        EnergyMeter.Sample start = m.sample();
        zone("intel-rapl:0", 500_000, null);
        assertTrue(Double.isNaN(m.since(start).joules()));
    }

    @Test
    void fallsBackToCpuSecondsWhenNoCounterIsReadable() throws IOException {
        Path dir = Files.createDirectories(root.resolve("intel-rapl:0"));
        Files.writeString(dir.resolve("energy_uj"), "not a number\n");
        Files.createDirectories(root.resolve("intel-rapl-mmio:0")); // not a package zone
        EnergyMeter m = meter();
        assertFalse(m.hasCounters());
        assertEquals(EnergyMeter.CPU_TIME, m.source());
        EnergyMeter.Sample start = m.sample();
        cpu.addAndGet(750_000_000L);
        EnergyMeter.Usage u = m.since(start);
        assertFalse(u.hasJoules());
        assertEquals(0.75, u.cpuSeconds(), 1e-12);
        assertEquals(EnergyMeter.CPU_TIME, u.source());
    }

    @Test
    void aMissingRootIsNoCounterAndTheRealProcessCpuTimeAdvances() {
        EnergyMeter m = EnergyMeter.at(root.resolve("absent"));
        assertFalse(m.hasCounters());
        EnergyMeter.Sample start = m.sample();
        double x = 0;
        for (int i = 0; i < 20_000_000; i++) {
            x += Math.sqrt(i);
        }
        EnergyMeter.Usage u = m.since(start);
        assertTrue(x > 0 && u.cpuSeconds() > 0, "process CPU time did not advance: " + u);
    }

    @Test
    void theSystemPropertyChoosesTheRoot() throws IOException {
        zone("intel-rapl:0", 42, 100L);
        String previous = System.setProperty(EnergyMeter.ROOT_PROPERTY, root.toString());
        try {
            assertEquals("rapl:intel-rapl:0", EnergyMeter.system().source());
        } finally {
            if (previous == null) {
                System.clearProperty(EnergyMeter.ROOT_PROPERTY);
            } else {
                System.setProperty(EnergyMeter.ROOT_PROPERTY, previous);
            }
        }
    }
}
