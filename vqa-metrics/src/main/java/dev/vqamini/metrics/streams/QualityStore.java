package dev.vqamini.metrics.streams;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.quality.Comparison;
import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.VersionRow;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.VersionTable;
import dev.vqamini.quality.rollout.RolloutEvidence;
import dev.vqamini.release.ReleaseFollower;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutPlan;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What metrics-service answers from: the {@link QualityTopology}'s stores (interactive queries) joined with costs and
 * rollout weights from followers of vqa.models and vqa.rollouts. Every answer is empty while the streams are not
 * running yet (starting, or restoring from the changelogs).
 */
public final class QualityStore implements AutoCloseable {

    private final KafkaStreams streams;
    private final VersionTable table = new VersionTable();
    private final ReleaseFollower releases;

    /** Starts following vqa.models and vqa.rollouts; {@code log} hears what the followers could not read. */
    public QualityStore(KafkaStreams streams, KafkaClientSettings kafka, Consumer<String> log) {
        this.streams = streams;
        this.releases = ReleaseFollower.start(kafka, new ReleaseFollower.Listener() {
            @Override
            public void chunk(ModelChunk chunk) {
                table.offer(chunk);
            }

            @Override
            public void rollout(Rollout rollout) {
                table.offer(rollout);
            }
        }, log);
    }

    /** The per-version table. */
    public List<VersionRow> versions() {
        return table.rows(all(QualityTopology.WINDOWS), all(QualityTopology.STATS));
    }

    public List<Comparison> comparisons() {
        return table.comparisons(all(QualityTopology.WINDOWS), all(QualityTopology.PAIRS));
    }

    /** The rollouts as last seen on vqa.rollouts, by model name. */
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

    /**
     * A rollout candidate's evidence: every pair since the plan began (plans written before that field existed: since
     * the step began), how many of them in this step, both versions' costs, the candidate's refusals.
     */
    public RolloutEvidence rolloutEvidence(Rollout rollout, long nowMs) {
        RolloutPlan plan = rollout.getPlan();
        String stable = rollout.getStableVersion();
        String candidate = plan.getCandidateVersion();
        long planStart = plan.getPlanStartedAtMs() > 0 ? plan.getPlanStartedAtMs() : plan.getStepStartedAtMs();
        PairWindow pairs = pairs(stable, candidate).since(planStart);
        int stepPairs = pairs.since(plan.getStepStartedAtMs()).scores(stable, candidate).n();
        Map<String, VersionStats> stats = stats();
        return new RolloutEvidence(pairs.scores(stable, candidate), stepPairs,
                Math.max(0, nowMs - plan.getStepStartedAtMs()) / 1000, stats.getOrDefault(candidate, VersionStats.empty()),
                stats.getOrDefault(stable, VersionStats.empty()), refusals(candidate));
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

    @Override
    public void close() throws InterruptedException {
        releases.close();
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
}
