package dev.vqamini.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.wire.proto.Rollout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutEditsTest {

    private static final Set<String> PUBLISHED = Set.of("v1", "v2", "v3");

    private static Rollout apply(RolloutEdits.Edit edit, Rollout current) {
        Rollout next = edit.apply("m", Optional.ofNullable(current));
        RolloutEdits.validate(next, PUBLISHED);
        return next;
    }

    @Test
    void promoteOnAModelWithoutRolloutMakesItsFirstStableVersion() {
        Rollout r = apply(RolloutEdits.promote("v1"), null);
        assertEquals("v1", r.getStableVersion());
        assertEquals(0, r.getCandidatesCount());
        assertThrows(IllegalArgumentException.class, () -> RolloutEdits.canary("v2", 0.5).apply("m", Optional.empty()));
    }

    @Test
    void canariesAddUpReweightAndRemoveWithoutTouchingTheOthers() {
        Rollout r = apply(RolloutEdits.promote("v1"), null);
        r = apply(RolloutEdits.canary("v2", 0.2), r);
        r = apply(RolloutEdits.canary("v3", 0.3), r);
        assertEquals(List.of("v1", "v2", "v3"), RolloutEdits.versions(r));
        r = apply(RolloutEdits.canary("v2", 0.5), r);
        assertEquals(0.5, r.getCandidates(0).getTrafficWeight());
        assertEquals(0.3, r.getCandidates(1).getTrafficWeight());
        r = apply(RolloutEdits.canary("v2", 0), r);
        assertEquals(List.of("v1", "v3"), RolloutEdits.versions(r));
    }

    @Test
    void promoteKeepsTheOtherCandidatesAndRollbackUndoesItStepByStep() {
        Rollout r = apply(RolloutEdits.canary("v3", 0.1), apply(RolloutEdits.canary("v2", 0.2), apply(RolloutEdits.promote("v1"), null)));
        r = apply(RolloutEdits.promote("v2"), r);
        assertEquals("v2", r.getStableVersion());
        assertEquals("v1", r.getPreviousStableVersion());
        assertEquals(List.of("v2", "v3"), RolloutEdits.versions(r));
        r = apply(RolloutEdits.rollback(), r); // first: candidates go
        assertEquals(List.of("v2"), RolloutEdits.versions(r));
        r = apply(RolloutEdits.rollback(), r); // then: the promote is undone
        assertEquals("v1", r.getStableVersion());
        Rollout last = r;
        assertThrows(IllegalArgumentException.class, () -> apply(RolloutEdits.rollback(), last));
    }

    @Test
    void badWeightsAndUnpublishedVersionsAreRefusedByName() {
        Rollout r = apply(RolloutEdits.canary("v2", 0.6), apply(RolloutEdits.promote("v1"), null));
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> apply(RolloutEdits.canary("v3", 0.5), r));
        assertTrue(sum.getMessage().contains("sum to 1.1000"), sum.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> RolloutEdits.canary("v3", 1.5));
        assertTrue(range.getMessage().contains("[0, 1]"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RolloutEdits.canary("v3", Double.NaN));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> apply(RolloutEdits.canary("v9", 0.1), r));
        assertTrue(missing.getMessage().contains("version v9 is not on vqa.models"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> apply(RolloutEdits.canary("v1", 0.1), r), "stable as candidate");
    }
}
