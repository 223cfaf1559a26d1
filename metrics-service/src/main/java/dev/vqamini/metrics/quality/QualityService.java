package dev.vqamini.metrics.quality;

import dev.vqamini.quality.Comparison;
import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.PairedComparison;
import dev.vqamini.quality.VersionRow;
import dev.vqamini.quality.VersionTable;
import dev.vqamini.metrics.streams.QualityTopology;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.VersionWindow;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.release.ReleaseFollower;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.VideoScoreRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * Serves the per-version table from the Kafka Streams stores (interactive queries), fed with costs and rollout weights
 * by followers of vqa.models and vqa.rollouts, and mirrors it into Prometheus gauges tagged {@code model_version}.
 */
@ApplicationScoped
public class QualityService {

    private static final Logger LOG = Logger.getLogger(QualityService.class);

    private final KafkaStreams streams;
    private final KafkaClientSettings kafka;
    private final MeterRegistry meters;
    private final MetricsSettings settings;
    private final VersionTable table = new VersionTable();
    private final Map<String, VersionRow> latest = new ConcurrentHashMap<>();
    private final Map<String, Comparison> latestComparison = new ConcurrentHashMap<>();
    private final Set<String> gauged = new HashSet<>();
    private ReleaseFollower releases;
    private ScheduledExecutorService refresher;

    QualityService(KafkaStreams streams, KafkaClientSettings kafka, MeterRegistry meters, MetricsSettings settings) {
        this.streams = streams;
        this.kafka = kafka;
        this.meters = meters;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        releases = ReleaseFollower.start(kafka, new ReleaseFollower.Listener() {
            @Override
            public void chunk(ModelChunk chunk) {
                table.offer(chunk);
            }

            @Override
            public void rollout(Rollout rollout) {
                table.offer(rollout);
            }
        }, LOG::warn);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "quality-gauges"));
        long every = settings.refresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refreshGauges, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (refresher != null) {
            refresher.shutdownNow();
            releases.close();
        }
    }

    /** The per-version table; empty while the streams are not running yet. */
    public List<VersionRow> versions() {
        return table.rows(all(QualityTopology.WINDOWS), all(QualityTopology.STATS));
    }

    public List<Comparison> comparisons() {
        return table.comparisons(all(QualityTopology.WINDOWS), all(QualityTopology.PAIRS));
    }

    /** The rollouts as the service last saw them on vqa.rollouts, by model name. */
    public Map<String, Rollout> rollouts() {
        return table.rollouts();
    }

    /** The shadow-paired videos of two versions (either order); empty while none. */
    public PairWindow pairs(String a, String b) {
        PairWindow w = this.<PairWindow>all(QualityTopology.PAIRS).get(PairWindow.key(a, b));
        return w == null ? PairWindow.empty() : w;
    }

    /** How many times scorers refused {@code version} (0 when never). */
    public long refusals(String version) {
        Long n = this.<Long>all(QualityTopology.REFUSALS).get(version);
        return n == null ? 0 : n;
    }

    /** Throughput and latency statistics per version. */
    public Map<String, VersionStats> stats() {
        return all(QualityTopology.STATS);
    }

    /** A video's score, the answer an uploader polls for. */
    public Optional<VideoScoreRecord> score(String videoId) {
        try {
            ReadOnlyKeyValueStore<String, VideoScoreRecord> store = streams.store(
                    StoreQueryParameters.fromNameAndType(QualityTopology.SCORES, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(videoId));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /** Recomputes the table and registers gauges for versions seen for the first time. */
    synchronized void refreshGauges() {
        try {
            for (VersionRow r : versions()) {
                latest.put(r.modelVersion(), r);
                if (gauged.add(r.modelVersion())) {
                    register(r.modelVersion());
                }
            }
            for (Comparison c : comparisons()) {
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
            LOG.debugf("gauges not refreshed: %s", e.getMessage());
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

    private <T> Map<String, T> all(String storeName) {
        Map<String, T> out = new HashMap<>();
        try {
            ReadOnlyKeyValueStore<String, T> store = streams.store(
                    StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, T> it = store.all()) {
                it.forEachRemaining(kv -> out.put(kv.key, kv.value));
            }
        } catch (InvalidStateStoreException e) {
            // not running yet (starting or restoring from the changelog)
        }
        return out;
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
