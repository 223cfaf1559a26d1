package dev.vqamini.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.Rollout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An ended plan keeps its last comparison: the evidence an operator opens the page to see. */
class VersionTableTest {

    @Test
    void aRolledBackOrPromotedCandidateKeepsItsComparisonMarkedWithItsPlansEnd() {
        Rollout planned = apply(apply(null, RolloutEdits.promote("v1")),
                RolloutPlans.plan("v2", List.of(0.05, 1.0), 6, 0, RolloutPlans.DEFAULT_GATES, 0.2, 0));
        PairWindow pairs = PairWindow.empty();
        for (int i = 0; i < 10; i++) {
            pairs = pairs.with(new PairedVideo("video-" + i, "v1", i / 10.0, "v2", 1 - i / 10.0, null, i), 100);
        }
        Map<String, PairWindow> byKey = Map.of(PairWindow.key("v1", "v2"), pairs);

        VersionTable table = new VersionTable();
        table.offer(planned);
        assertEquals("active", only(table, byKey).plan());

        table.offer(apply(planned, RolloutPlans.rollBack("v2", "gate failed")));
        Comparison rolledBack = only(table, byKey);
        assertEquals("v2", rolledBack.candidate());
        assertEquals("v1", rolledBack.stable());
        assertEquals("rolled_back", rolledBack.plan());
        assertNotNull(rolledBack.paired(), "its paired evidence is still served");
        assertEquals(10, rolledBack.paired().pairs());

        table.offer(apply(planned, RolloutPlans.promote("v2", "every gate passed")));
        Comparison promoted = only(table, byKey);
        assertEquals("v2", promoted.candidate());
        assertEquals("v1", promoted.stable(), "compared with the stable version it replaced");
        assertEquals("promoted", promoted.plan());
    }

    private static Comparison only(VersionTable table, Map<String, PairWindow> pairs) {
        List<Comparison> all = table.comparisons(Map.of(), pairs);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static Rollout apply(Rollout current, RolloutEdits.Edit edit) {
        return edit.apply("dover-mobile", Optional.ofNullable(current)).toBuilder().setModelName("dover-mobile")
                .setRevision(current == null ? 1 : current.getRevision() + 1).build();
    }
}
