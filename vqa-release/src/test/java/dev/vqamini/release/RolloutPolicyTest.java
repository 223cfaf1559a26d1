package dev.vqamini.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.wire.proto.Rollout;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutPolicyTest {

    private static final int IDS = 10_000;
    private static final Set<String> PUBLISHED = Set.of("stable", "a", "b", "shadow");

    private static Rollout edit(Rollout r, RolloutEdits.Edit e) {
        Rollout next = e.apply("m", Optional.ofNullable(r));
        RolloutEdits.validate(next, PUBLISHED);
        return next;
    }

    private static Map<String, String> assign(Rollout r) {
        Map<String, String> out = new HashMap<>();
        IntStream.range(0, IDS).forEach(i -> out.put("video-" + i, RolloutPolicy.assign("video-" + i, r).version()));
        return out;
    }

    private static double share(Map<String, String> a, String version) {
        return a.values().stream().filter(version::equals).count() / (double) IDS;
    }

    @Test
    void observedSplitIsWithinTwoPointsOfTheWeightsAndTheSameOnEveryCall() {
        Rollout r = edit(edit(edit(null, RolloutEdits.promote("stable")), RolloutEdits.canary("a", 0.3)), RolloutEdits.canary("b", 0.1));
        Map<String, String> first = assign(r);
        assertEquals(0.3, share(first, "a"), 0.02);
        assertEquals(0.1, share(first, "b"), 0.02);
        assertEquals(0.6, share(first, "stable"), 0.02);
        assertEquals(first, assign(r.toBuilder().build()), "a pure function of id and rollout");
    }

    @Test
    void changingAWeightMovesOnlyThePredictedShare() {
        Rollout before = edit(edit(edit(null, RolloutEdits.promote("stable")), RolloutEdits.canary("a", 0.3)), RolloutEdits.canary("b", 0.2));
        Rollout after = edit(before, RolloutEdits.canary("a", 0.1)); // a: 0.3 -> 0.1, b untouched
        Map<String, String> x = assign(before);
        Map<String, String> y = assign(after);
        long moved = x.keySet().stream().filter(id -> !x.get(id).equals(y.get(id))).count();
        assertEquals(0.2, moved / (double) IDS, 0.02);
        assertTrue(x.keySet().stream().allMatch(id -> !x.get(id).equals(y.get(id)) == (x.get(id).equals("a") && y.get(id).equals("stable"))),
                "only videos of a move, and only to stable");
        assertTrue(x.keySet().stream().filter(id -> x.get(id).equals("b")).allMatch(id -> y.get(id).equals("b")), "b keeps its videos");
        Rollout grown = edit(after, RolloutEdits.canary("b", 0.25));
        Map<String, String> z = assign(grown);
        long movedToB = y.keySet().stream().filter(id -> !y.get(id).equals(z.get(id))).count();
        assertEquals(0.05, movedToB / (double) IDS, 0.01);
    }

    @Test
    void theShadowShareIsIndependentOfTheSplit() {
        Rollout r = edit(edit(edit(null, RolloutEdits.promote("stable")), RolloutEdits.canary("a", 0.5)),
                RolloutEdits.shadow("shadow", 0.2));
        long shadowed = IntStream.range(0, IDS).filter(i -> RolloutPolicy.assign("video-" + i, r).shadow().isPresent()).count();
        assertEquals(0.2, shadowed / (double) IDS, 0.02);
        long shadowedOnA = IntStream.range(0, IDS).filter(i -> RolloutPolicy.assign("video-" + i, r).shadow().isPresent()
                && RolloutPolicy.assign("video-" + i, r).version().equals("a")).count();
        assertEquals(0.1, shadowedOnA / (double) IDS, 0.02);
    }
}
