package dev.vqamini.metrics.streams;

import dev.vqamini.metrics.gauges.QualityGauges;
import dev.vqamini.quality.VersionStats;
import dev.vqamini.quality.VersionWindow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vqamini.quality.VersionRow;
import dev.vqamini.quality.VersionTable;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.VideoLabel;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import dev.vqamini.quality.PairWindow;
import dev.vqamini.stats.PairedAgreement;
import dev.vqamini.wire.proto.Rollout;

/**
 * Scores and labels whose correlations are known in advance: MOS ranks are the predicted ranks with neighbours
 * swapped pairwise (Sum d^2 = n, so SRCC = PLCC = 1 - 6n / (n(n^2-1)), KRCC = 1 - 2 (n/2) / (n(n-1)/2)).
 */
class QualityTopologyTest {

    private static final int N = 20;

    @Test
    void findsTheKnownCorrelationsDropsDuplicatesAndTakesLabelsThatComeLater() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "quality-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(QualityTopology.build(500), p)) {
            TestInputTopic<String, VideoScoreRecord> scores = driver.createInputTopic(TopicCatalog.VIDEO_SCORES.name(),
                    Serdes.String().serializer(), WireSerdes.videoScores().serializer());
            TestInputTopic<String, VideoLabel> labels = driver.createInputTopic(TopicCatalog.LABELS.name(),
                    Serdes.String().serializer(), WireSerdes.labels().serializer());
            for (int i = 0; i < N; i++) {
                String id = "v" + i;
                int mosRank = i % 2 == 0 ? i + 1 : i - 1; // neighbours swapped
                if (i < N / 2) {
                    labels.pipeInput(id, VideoLabel.newBuilder().setVideoId(id).setMos(mosRank).build()); // label first
                }
                scores.pipeInput(id, score(id, "v1", i, 1000L * i));
                scores.pipeInput(id, score(id, "v1", 100 - i, 1000L * i + 500)); // a re-delivered duplicate: dropped
                if (i >= N / 2) {
                    labels.pipeInput(id, VideoLabel.newBuilder().setVideoId(id).setMos(mosRank).build()); // label after
                }
            }
            scores.pipeInput("w0", score("w0", "v2", 1, 0)); // another version without labels
            KeyValueStore<String, VersionWindow> windows = driver.getKeyValueStore(QualityTopology.WINDOWS);
            KeyValueStore<String, VersionStats> stats = driver.getKeyValueStore(QualityTopology.STATS);
            Map<String, VersionWindow> w = new HashMap<>();
            windows.all().forEachRemaining(kv -> w.put(kv.key, kv.value));
            Map<String, VersionStats> s = new HashMap<>();
            stats.all().forEachRemaining(kv -> s.put(kv.key, kv.value));

            List<VersionRow> rows = new VersionTable().rows(w, s);
            VersionRow v1 = rows.get(0);
            assertEquals("v1", v1.modelVersion());
            assertEquals(N, v1.videos(), "duplicates counted once");
            assertEquals(N, v1.labelled());
            double rho = 1 - 6.0 * N / (N * (N * (double) N - 1));
            double tau = 1 - 2.0 * (N / 2) / (N * (N - 1) / 2.0);
            assertEquals(rho, v1.srcc(), 1e-9);
            assertEquals(rho, v1.plccRaw(), 1e-9);
            assertEquals(tau, v1.krcc(), 1e-9);
            assertEquals(4 * N, v1.clips());
            assertEquals(N / (19.0), v1.videosPerSecond(), 1e-9); // first at 0 s, last at 19 s
            VersionRow v2 = rows.get(1);
            assertEquals(1, v2.videos());
            assertEquals(0, v2.labelled());
            assertNull(v2.srcc());
        }
    }

    @Test
    void tellsEveryDeadLetterWithItsStageAndAReasonTagWithoutThePackage() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        List<String> told = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(QualityTopology.build(500, s -> { },
                d -> told.add(d.getStage() + "/" + QualityGauges.reason(d))), p)) {
            TestInputTopic<String, DeadLetter> dlq = driver.createInputTopic(TopicCatalog.DLQ.name(),
                    Serdes.String().serializer(), WireSerdes.deadLetters().serializer());
            dlq.pipeInput("a.mp4", DeadLetter.newBuilder().setStage("ingest-decode").setErrorType("unreadable").build());
            dlq.pipeInput("b", DeadLetter.newBuilder().setStage("scorer").setErrorType("java.lang.IllegalArgumentException").build());
            dlq.pipeInput("v9", DeadLetter.newBuilder().setStage("scorer-model").build());
            dlq.pipeInput("v9", DeadLetter.newBuilder().setStage("scorer-model").build());
            KeyValueStore<String, Long> refusals = driver.getKeyValueStore(QualityTopology.REFUSALS);
            assertEquals(2L, refusals.get("v9"), "a scorer's refusals of a version, counted for the rollout gate");
            assertNull(refusals.get("b"), "other dead letters are not refusals");
        }
        assertEquals(List.of("ingest-decode/unreadable", "scorer/IllegalArgumentException", "scorer-model/unknown", "scorer-model/unknown"), told);
    }

    /**
     * Shadow scores never become a video's score nor count for their version, even when they arrive before the real
     * score; each is paired with the real score of its video (and its label, before or after), in one window per
     * pair of versions whichever of the two was the shadow.
     */
    @Test
    void pairsShadowScoresWithRealScoresOfTheSameVideosAndKeepsThemOutOfTheTable() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "pairs-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(QualityTopology.build(500), p)) {
            TestInputTopic<String, VideoScoreRecord> scores = driver.createInputTopic(TopicCatalog.VIDEO_SCORES.name(),
                    Serdes.String().serializer(), WireSerdes.videoScores().serializer());
            TestInputTopic<String, VideoLabel> labels = driver.createInputTopic(TopicCatalog.LABELS.name(),
                    Serdes.String().serializer(), WireSerdes.labels().serializer());
            for (int i = 0; i < 10; i++) {
                String id = "p" + i;
                VideoScoreRecord shadow = score(id, "cand", 0.5 + i / 100.0, 1000L * i).toBuilder().setShadow(true).build();
                if (i % 2 == 0) {
                    scores.pipeInput(id, shadow); // the shadow first: must not become the video's score
                    scores.pipeInput(id, score(id, "stable", i / 100.0, 1000L * i));
                } else {
                    scores.pipeInput(id, score(id, "stable", i / 100.0, 1000L * i));
                    scores.pipeInput(id, shadow);
                }
                if (i < 4) {
                    labels.pipeInput(id, VideoLabel.newBuilder().setVideoId(id).setMos(i).build());
                }
            }
            // the other way round: the candidate served the video, the stable version shadowed it
            scores.pipeInput("q", score("q", "cand", 0.9, 20_000));
            scores.pipeInput("q", score("q", "stable", 0.4, 20_000).toBuilder().setShadow(true).build());

            KeyValueStore<String, VideoScoreRecord> first = driver.getKeyValueStore(QualityTopology.SCORES);
            assertEquals("stable", first.get("p0").getModelVersion(), "the real score, not the shadow that came first");
            assertEquals(false, first.get("p0").getShadow());
            KeyValueStore<String, VersionStats> stats = driver.getKeyValueStore(QualityTopology.STATS);
            assertEquals(10, stats.get("stable").videos());
            assertEquals(1, stats.get("cand").videos(), "shadow scores do not count for their version");
            KeyValueStore<String, PairWindow> pairs = driver.getKeyValueStore(QualityTopology.PAIRS);
            PairWindow w = pairs.get(PairWindow.key("stable", "cand"));
            assertEquals(11, w.pairs().size());
            PairedAgreement a = w.agreement("stable", "cand");
            assertEquals(11, a.n());
            assertEquals(4, a.labelled());
            assertEquals(1.0, a.agreementSrcc(), 1e-12, "the candidate ranks as the stable version does");
            assertEquals(0.5 * 10 / 11 + 0.5 / 11, a.bias(), 1e-9);
            // and the comparison served at /comparison carries the paired evidence
            VersionTable table = new VersionTable();
            table.offer(Rollout.newBuilder().setModelName("m").setStableVersion("stable")
                    .setShadowVersion("cand").setShadowFraction(0.2).build());
            Map<String, PairWindow> byKey = Map.of(PairWindow.key("stable", "cand"), w);
            var comparisons = table.comparisons(Map.of(), byKey);
            assertEquals(1, comparisons.size());
            assertEquals(11, comparisons.get(0).paired().pairs());
            assertEquals(1.0, comparisons.get(0).paired().agreementSrcc(), 1e-12);
        }
    }

    static VideoScoreRecord score(String id, String version, double fused, long scoredAtMs) {
        return VideoScoreRecord.newBuilder().setVideoId(id).setUploadId("u-" + id).setModelVersion(version).setFused(fused)
                .setTechnical(fused).setAesthetic(fused).setIngestTimeMs(scoredAtMs - 200).setEndToEndMs(200)
                .setInferenceMs(50).setClips(4).build();
    }
}
