package dev.vqamini.scorer;

import dev.vqamini.wire.DeadLetters;
import dev.vqamini.clips.View;
import dev.vqamini.serving.DynamicBatcher;
import dev.vqamini.serving.ModelRefusedException;
import dev.vqamini.serving.ModelRegistry;
import dev.vqamini.serving.ServingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import dev.vqamini.model.runtime.EnergyMeter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import dev.vqamini.model.runtime.BranchRunner;

/** The scorer's Micrometer meters ({@code vqa.scorer.*}, tagged by model version and view); docs/metrics.md lists them. */
@ApplicationScoped
public class ScorerMetrics implements DynamicBatcher.BatchListener {

    private final MeterRegistry meters;
    /** Per version: energy and CPU-seconds of its inference runs and its videos, for the per-1000-videos gauges. */
    private final Map<String, VersionEnergy> energy = new ConcurrentHashMap<>();
    /** The device the latest model runs on (cpu, cuda): vqa_scorer_device is 1 for it, so dashboards can say CPU or GPU seconds. */
    private volatile String currentDevice = "";

    ScorerMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void watch(DynamicBatcher batcher) {
        meters.gauge("vqa.scorer.clips.in.flight", batcher, DynamicBatcher::queued);
    }

    void watch(ModelRegistry registry) {
        meters.gauge("vqa.scorer.versions.loaded", registry, r -> r.servingVersions().size());
        meters.gauge("vqa.scorer.onnx.sessions", this, m -> BranchRunner.openSessions());
        // A state, not a counter: a version the rollout names but this scorer refused stays an alert until removed.
        meters.gauge("vqa.scorer.versions.refused", registry, r -> r.refusedVersions().size());
    }

    @Override
    public void ran(String version, View view, int size, double inferenceSeconds, double[] queueSeconds) {
        batchRan(version, view, size, inferenceSeconds, queueSeconds);
    }

    @Override
    public void ran(String version, View view, int size, double inferenceSeconds, double[] queueSeconds,
                    EnergyMeter.Usage used) {
        batchRan(version, view, size, inferenceSeconds, queueSeconds);
        VersionEnergy e = versionEnergy(version);
        cpu(version, view).increment(used.cpuSeconds());
        e.cpuSeconds.add(used.cpuSeconds());
        if (used.hasJoules()) {
            joules(version, view).increment(used.joules());
            e.joules.add(used.joules());
            e.hasJoules = true;
        }
    }

    void batchRan(String version, View view, int size, double seconds, double[] queued) {
        inference(version, view).record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
        DistributionSummary.builder("vqa.scorer.batch.size").description("clips per inference run")
                .tags("model_version", version, "view", view.key()).register(meters).record(size);
        clipsScored(version, view).increment(size);
        Timer queue = Timer.builder("vqa.scorer.queue").description("time a clip waited for its batch")
                .tags("model_version", version, "view", view.key()).publishPercentileHistogram().register(meters);
        for (double q : queued) {
            queue.record((long) (q * 1e9), TimeUnit.NANOSECONDS);
        }
    }

    void loaded(ServingModel model) {
        String device = model.device().tag();
        currentDevice = device;
        // registered once per device (Micrometer keeps the first registration of an id)
        meters.gauge("vqa.scorer.device", Tags.of("device", device), this, m -> device.equals(m.currentDevice) ? 1 : 0);
        meters.counter("vqa.scorer.model.loads", "model_version", model.version()).increment();
        Timer.builder("vqa.scorer.model.load").tags("model_version", model.version()).register(meters)
                .record((long) (model.loadSeconds() * 1e9), TimeUnit.NANOSECONDS);
        // At zero from the start: Prometheus takes a counter's first sample as its base, so one created by the
        // first video would leave that video out of every rate (and a rate of 0 videos beside >0 seconds is +Inf).
        videosScored(model.version());
        endToEnd(model.version());
        for (View view : View.values()) {
            inference(model.version(), view);
            clipsScored(model.version(), view);
            cpu(model.version(), view);
        }
        versionEnergy(model.version());
    }

    void refused(ModelRefusedException e) {
        meters.counter("vqa.scorer.model.refusals", "model_version", e.version(), "check", e.check().tag()).increment();
    }

    void videoScored(String version, double endToEndSeconds) {
        videosScored(version).increment();
        versionEnergy(version).videos.increment();
        endToEnd(version).record((long) (endToEndSeconds * 1e9), TimeUnit.NANOSECONDS);
    }

    void deadLettered(DeadLetters.ErrorKind kind) {
        meters.counter("vqa.scorer.dead.letters", "reason", kind.tag()).increment();
    }

    void fellBack(String wanted) {
        meters.counter("vqa.scorer.fallbacks", "model_version", wanted).increment();
    }

    /**
     * Energy per 1000 videos of a version since this scorer started: {@code vqa.scorer.energy.per.1000.videos}
     * (joules, RAPL; only where a counter is readable) and {@code vqa.scorer.cpu.per.1000.videos} (CPU-seconds,
     * always). NaN before the version's first video. Over a window, Prometheus divides the rates of
     * {@code vqa_scorer_energy_joules_total} (or {@code vqa_scorer_cpu_seconds_total}) and videos scored.
     */
    private VersionEnergy versionEnergy(String version) {
        return energy.computeIfAbsent(version, v -> {
            VersionEnergy e = new VersionEnergy();
            Gauge.builder("vqa.scorer.cpu.per.1000.videos", e, x -> x.perThousandVideos(x.cpuSeconds.sum()))
                    .description("process CPU-seconds of inference per 1000 videos scored").baseUnit("seconds")
                    .tags("model_version", v).register(meters);
            if (EnergyMeter.system().hasCounters()) {
                Gauge.builder("vqa.scorer.energy.per.1000.videos", e, x -> x.hasJoules ? x.perThousandVideos(x.joules.sum()) : Double.NaN)
                        .description("RAPL package energy of inference per 1000 videos scored").baseUnit("joules")
                        .tags("model_version", v).register(meters);
            }
            return e;
        });
    }

    private static final class VersionEnergy {
        final DoubleAdder joules = new DoubleAdder();
        final DoubleAdder cpuSeconds = new DoubleAdder();
        final LongAdder videos = new LongAdder();
        volatile boolean hasJoules;

        double perThousandVideos(double total) {
            long n = videos.sum();
            return n == 0 ? Double.NaN : 1000 * total / n;
        }
    }

    private Counter joules(String version, View view) {
        return Counter.builder("vqa.scorer.energy").description("RAPL package energy during inference runs").baseUnit("joules")
                .tags("model_version", version, "view", view.key()).register(meters);
    }

    private Counter cpu(String version, View view) {
        return Counter.builder("vqa.scorer.cpu").description("process CPU time during inference runs").baseUnit("seconds")
                .tags("model_version", version, "view", view.key()).register(meters);
    }

    private Timer inference(String version, View view) {
        return Timer.builder("vqa.scorer.inference").description("one inference run (a batch of clips)")
                .tags("model_version", version, "view", view.key()).publishPercentileHistogram().register(meters);
    }

    private Counter clipsScored(String version, View view) {
        return meters.counter("vqa.scorer.clips.scored", "model_version", version, "view", view.key());
    }

    private Counter videosScored(String version) {
        return meters.counter("vqa.scorer.videos.scored", "model_version", version);
    }

    private Timer endToEnd(String version) {
        return Timer.builder("vqa.scorer.end.to.end").description("ingest of the first clip to the video score")
                .tags("model_version", version).publishPercentileHistogram().register(meters);
    }
}
