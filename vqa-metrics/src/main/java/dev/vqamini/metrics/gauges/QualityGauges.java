package dev.vqamini.metrics.gauges;

import dev.vqamini.metrics.streams.QualityStore;
import dev.vqamini.metrics.streams.QualityTopology;
import dev.vqamini.quality.Comparison;
import dev.vqamini.quality.PairedComparison;
import dev.vqamini.quality.VersionRow;
import dev.vqamini.wire.proto.DeadLetter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quality topology's numbers as Micrometer meters: per-score timers and counters as the topology sees them
 * ({@link #instrumentedTopology}), and gauges tagged {@code model_version} that mirror the per-version table and the
 * comparisons ({@link #refresh}, called on a schedule).
 */
public final class QualityGauges {

    private static final Logger LOG = LoggerFactory.getLogger(QualityGauges.class);

    private final QualityStore store;
    private final MeterRegistry meters;
    private final Map<String, VersionRow> latest = new ConcurrentHashMap<>();
    private final Map<String, Comparison> latestComparison = new ConcurrentHashMap<>();
    private final Set<String> gauged = new HashSet<>();

    public QualityGauges(QualityStore store, MeterRegistry meters) {
        this.store = store;
        this.meters = meters;
    }

    /** The topology over a window of {@code window} labelled videos, telling {@code meters} of each score and dead letter. */
    public static Topology instrumentedTopology(int window, MeterRegistry meters) {
        return QualityTopology.build(window, s -> {
            Timer.builder("vqa.video.end.to.end").description("ingest of a video's first clip to its score")
                    .tag("model_version", s.getModelVersion()).publishPercentileHistogram().register(meters)
                    .record(Duration.ofMillis((long) s.getEndToEndMs()));
            Timer.builder("vqa.video.inference").description("model time of a whole video")
                    .tag("model_version", s.getModelVersion()).publishPercentileHistogram().register(meters)
                    .record(Duration.ofNanos((long) (s.getInferenceMs() * 1e6)));
            meters.counter("vqa.video.scores", "model_version", s.getModelVersion()).increment();
            meters.counter("vqa.video.clips", "model_version", s.getModelVersion()).increment(s.getClips());
        }, d -> meters.counter("vqa.dead.letters", "stage", d.getStage(), "reason", reason(d)).increment());
    }

    /** A bounded tag: the writer's error category (a class name loses its package), never the free-text reason. */
    public static String reason(DeadLetter d) {
        String type = d.getErrorType();
        return type.isBlank() ? "unknown" : type.substring(type.lastIndexOf('.') + 1);
    }

    /** Recomputes the table and registers gauges for versions seen for the first time. */
    public synchronized void refresh() {
        try {
            for (VersionRow r : store.versions()) {
                latest.put(r.modelVersion(), r);
                if (gauged.add(r.modelVersion())) {
                    register(r.modelVersion());
                }
            }
            for (Comparison c : store.comparisons()) {
                latestComparison.put(c.candidate(), c);
                if (gauged.add("comparison:" + c.candidate())) {
                    Gauge.builder("vqa.comparison.srcc.difference", () -> nan(latestComparison.get(c.candidate()).srccDifference()))
                            .description("candidate SRCC minus stable SRCC").tag("model_version", c.candidate()).register(meters);
                    Gauge.builder("vqa.comparison.verdict", () -> latestComparison.get(c.candidate()).verdictValue())
                            .description("1 better than stable, -1 worse, 0 no difference yet (95 % interval)")
                            .tag("model_version", c.candidate()).register(meters);
                    registerPaired(c.candidate());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("gauges not refreshed: {}", e.getMessage());
        }
    }

    /** The paired (shadow) evidence of a candidate against its stable version, NaN while too few pairs. */
    private void registerPaired(String candidate) {
        paired("vqa.comparison.paired.videos", candidate, "videos scored by both the candidate and the stable version", p -> p.pairs());
        paired("vqa.comparison.paired.agreement.srcc", candidate, "SRCC between candidate and stable scores on the same videos (no labels)",
                p -> nan(p.agreementSrcc()));
        paired("vqa.comparison.paired.agreement.srcc.ci.low", candidate, "95 % interval of the agreement SRCC, lower bound",
                p -> low(p.agreementSrccCi()));
        paired("vqa.comparison.paired.agreement.plcc", candidate, "PLCC between candidate and stable scores on the same videos",
                p -> nan(p.agreementPlcc()));
        paired("vqa.comparison.paired.mean.abs.difference", candidate, "mean |candidate - stable| fused score", p -> nan(p.meanAbsDifference()));
        paired("vqa.comparison.paired.max.abs.difference", candidate, "max |candidate - stable| fused score", p -> nan(p.maxAbsDifference()));
        paired("vqa.comparison.paired.bias", candidate, "mean (candidate - stable) fused score", p -> nan(p.bias()));
        paired("vqa.comparison.paired.labelled", candidate, "paired videos with MOS", p -> p.labelledPairs());
        paired("vqa.comparison.paired.srcc.difference", candidate, "candidate SRCC minus stable SRCC against MOS on the same videos",
                p -> nan(p.srccDifference()));
        paired("vqa.comparison.paired.srcc.difference.ci.low", candidate,
                "95 % interval of the paired SRCC difference (Zou, dependent overlapping), lower bound", p -> low(p.srccDifferenceCi()));
        paired("vqa.comparison.paired.srcc.difference.ci.high", candidate,
                "95 % interval of the paired SRCC difference (Zou, dependent overlapping), upper bound", p -> high(p.srccDifferenceCi()));
    }

    private void paired(String name, String candidate, String help, ToDoubleFunction<PairedComparison> f) {
        Gauge.builder(name, () -> {
            Comparison c = latestComparison.get(candidate);
            return c == null || c.paired() == null ? Double.NaN : f.applyAsDouble(c.paired());
        }).description(help).tag("model_version", candidate).register(meters);
    }

    private void register(String version) {
        gauge("vqa.quality.srcc", version, "Spearman correlation with MOS over the window", r -> nan(r.srcc()));
        gauge("vqa.quality.srcc.ci.low", version, "95 % interval of SRCC, lower bound", r -> low(r.srccCi()));
        gauge("vqa.quality.srcc.ci.high", version, "95 % interval of SRCC, upper bound", r -> high(r.srccCi()));
        gauge("vqa.quality.plcc", version, "Pearson correlation with MOS after the 4-parameter logistic", r -> nan(r.plcc()));
        gauge("vqa.quality.krcc", version, "Kendall correlation with MOS", r -> nan(r.krcc()));
        gauge("vqa.quality.labelled", version, "labelled videos in the window (n)", r -> r.labelled());
        gauge("vqa.version.videos", version, "videos scored (deduplicated)", r -> r.videos());
        gauge("vqa.version.clips.per.second", version, "clips scored per second", VersionRow::clipsPerSecond);
        gauge("vqa.version.videos.per.second", version, "videos scored per second", VersionRow::videosPerSecond);
        gauge("vqa.version.e2e.p50.seconds", version, "median end-to-end latency", r -> nan(r.p50EndToEnd()));
        gauge("vqa.version.e2e.p99.seconds", version, "99th percentile end-to-end latency", r -> nan(r.p99EndToEnd()));
        gauge("vqa.version.parameters", version, "parameters of the version", r -> nan(r.parameters()));
        gauge("vqa.version.flops.per.clip", version, "multiply-accumulates per clip", r -> nan(r.flopsPerClip()));
        gauge("vqa.version.bundle.bytes", version, "size of the version's bundle", r -> nan(r.bundleBytes()));
        gauge("vqa.rollout.weight", version, "share of videos the rollout sends to the version", r -> nan(r.trafficWeight()));
    }

    private void gauge(String name, String version, String help, ToDoubleFunction<VersionRow> f) {
        Gauge.builder(name, () -> f.applyAsDouble(latest.get(version))).description(help).tag("model_version", version)
                .register(meters);
    }

    private static double nan(Number n) {
        return n == null ? Double.NaN : n.doubleValue();
    }

    private static double low(List<Double> ci) {
        return ci == null ? Double.NaN : ci.get(0);
    }

    private static double high(List<Double> ci) {
        return ci == null ? Double.NaN : ci.get(1);
    }
}
