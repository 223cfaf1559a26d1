package dev.vqamini.metrics.streams;

import dev.vqamini.wire.DeadLetters;
import dev.vqamini.quality.LabelledVideo;
import dev.vqamini.quality.PairWindow;
import dev.vqamini.quality.PairedVideo;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.VersionWindow;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Quality and cost per model version, from what the scorers write:
 * <ol>
 *   <li>vqa.video-scores deduplicated by video id: the first score of a video is kept ({@link #SCORES}, also the
 *       answer to {@code GET /scores/{id}}), a re-delivered one is dropped;</li>
 *   <li>joined with vqa.labels as two tables, so a label may come before or after its score;</li>
 *   <li>per version, the last {@code window} labelled videos ({@link #WINDOWS}), from which SRCC, PLCC and KRCC are
 *       computed on query;</li>
 *   <li>per version, videos, clips, times and latencies ({@link #STATS});</li>
 *   <li>every dead letter on vqa.dlq, whichever stage wrote it, told to a listener (the DLQ dashboards);</li>
 *   <li>shadow scores (marked shadow; never a video's score, so kept out of all the above) paired with the real
 *       score of the same video, with its label when there is one: per pair of versions, the last {@code window}
 *       paired videos ({@link #PAIRS}, keyed by {@link PairWindow#key}), the rollout's paired evidence;</li>
 *   <li>per version, how many times a scorer refused it ({@link #REFUSALS}).</li>
 * </ol>
 * All state is in changelog-backed stores, so a restarted instance answers the same. Pure: TopologyTestDriver runs it.
 */
public final class QualityTopology {

    public static final String SCORES = "scores-by-video";
    public static final String LABELS = "labels-by-video";
    public static final String WINDOWS = "window-by-version";
    public static final String STATS = "stats-by-version";
    public static final String PAIRS = "pairs-by-versions";
    public static final String REFUSALS = "refusals-by-version";

    private QualityTopology() {
    }

    public static Topology build(int window) {
        return build(window, s -> { }, d -> { });
    }

    /**
     * @param scored        told about each first score (the service's latency histograms)
     * @param deadLettered  told about each record of vqa.dlq (counted by stage and reason)
     */
    public static Topology build(int window, Consumer<VideoScoreRecord> scored, Consumer<DeadLetter> deadLettered) {
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCORES), Serdes.String(), WireSerdes.videoScores()));
        KStream<String, VideoScoreRecord> allScores = b.stream(TopicCatalog.VIDEO_SCORES.name(),
                Consumed.with(Serdes.String(), WireSerdes.videoScores()));
        KStream<String, VideoScoreRecord> firstScores = allScores
                .filter((id, s) -> s != null && !s.getShadow()) // a shadow score is never the video's score
                .process(FirstScore::new, SCORES)
                .peek((id, s) -> scored.accept(s));
        JsonSerde<LabelledVideo> labelled = new JsonSerde<>(LabelledVideo.class);
        KTable<String, VideoScoreRecord> scores = firstScores.toTable(
                Materialized.<String, VideoScoreRecord, KeyValueStore<Bytes, byte[]>>as("first-scores")
                        .withKeySerde(Serdes.String()).withValueSerde(WireSerdes.videoScores()));
        KTable<String, VideoLabel> labels = b.table(TopicCatalog.LABELS.name(), Consumed.with(Serdes.String(), WireSerdes.labels()),
                Materialized.<String, VideoLabel, KeyValueStore<Bytes, byte[]>>as(LABELS)
                        .withKeySerde(Serdes.String()).withValueSerde(WireSerdes.labels()));
        scores.join(labels, (s, l) -> new LabelledVideo(s.getVideoId(), s.getModelVersion(), s.getFused(), l.getMos(),
                        s.getIngestTimeMs() + (long) s.getEndToEndMs()))
                .toStream()
                .filter((id, v) -> v != null)
                .groupBy((id, v) -> v.modelVersion(), Grouped.with(Serdes.String(), labelled))
                .aggregate(VersionWindow::empty, (version, v, w) -> w.with(v, window),
                        Materialized.<String, VersionWindow, KeyValueStore<Bytes, byte[]>>as(WINDOWS)
                                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(VersionWindow.class)));
        firstScores.groupBy((id, s) -> s.getModelVersion(), Grouped.with(Serdes.String(), WireSerdes.videoScores()))
                .aggregate(VersionStats::empty, (version, s, st) -> st.with(s, s.getIngestTimeMs() + (long) s.getEndToEndMs()),
                        Materialized.<String, VersionStats, KeyValueStore<Bytes, byte[]>>as(STATS)
                                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(VersionStats.class)));
        KTable<String, VideoScoreRecord> shadowScores = allScores.filter((id, s) -> s != null && s.getShadow())
                .toTable(Materialized.<String, VideoScoreRecord, KeyValueStore<Bytes, byte[]>>as("shadow-scores")
                        .withKeySerde(Serdes.String()).withValueSerde(WireSerdes.videoScores()));
        scores.join(shadowScores, (real, shadow) -> new PairedVideo(real.getVideoId(), real.getModelVersion(), real.getFused(),
                        shadow.getModelVersion(), shadow.getFused(), null,
                        Math.max(real.getIngestTimeMs() + (long) real.getEndToEndMs(), shadow.getIngestTimeMs() + (long) shadow.getEndToEndMs())))
                .leftJoin(labels, (pair, label) -> label == null ? pair : new PairedVideo(pair.videoId(), pair.realVersion(),
                        pair.realFused(), pair.shadowVersion(), pair.shadowFused(), label.getMos(), pair.scoredAtMs()))
                .toStream()
                .filter((id, p) -> p != null && !p.realVersion().equals(p.shadowVersion()))
                .groupBy((id, p) -> PairWindow.key(p.realVersion(), p.shadowVersion()), Grouped.with(Serdes.String(), new JsonSerde<>(PairedVideo.class)))
                .aggregate(PairWindow::empty, (versions, p, w) -> w.with(p, window),
                        Materialized.<String, PairWindow, KeyValueStore<Bytes, byte[]>>as(PAIRS)
                                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(PairWindow.class)));
        KStream<String, DeadLetter> deadLetters = b.stream(TopicCatalog.DLQ.name(), Consumed.with(Serdes.String(), WireSerdes.deadLetters()))
                .filter((key, d) -> d != null);
        deadLetters.foreach((key, d) -> deadLettered.accept(d));
        // a scorer's refusal of a version is keyed by the version: counted for the rollout controller's gate
        deadLetters.filter((key, d) -> key != null && DeadLetters.Stage.SCORER_MODEL.tag().equals(d.getStage()))
                .groupByKey(Grouped.with(Serdes.String(), WireSerdes.deadLetters()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(REFUSALS)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return b.build();
    }

    /** Forwards the first score of each video id and drops the rest (re-deliveries after a scorer crash). */
    static final class FirstScore implements Processor<String, VideoScoreRecord, String, VideoScoreRecord> {
        private ProcessorContext<String, VideoScoreRecord> context;
        private KeyValueStore<String, VideoScoreRecord> seen;

        @Override
        public void init(ProcessorContext<String, VideoScoreRecord> context) {
            this.context = context;
            this.seen = context.getStateStore(SCORES);
        }

        @Override
        public void process(Record<String, VideoScoreRecord> r) {
            if (r.key() == null || r.value() == null || seen.get(r.key()) != null) {
                return;
            }
            seen.put(r.key(), r.value());
            context.forward(r);
        }
    }
}
