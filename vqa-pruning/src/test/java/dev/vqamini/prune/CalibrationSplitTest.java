package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.dataset.CalibrationVideo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The held-out split of a prune job's calibration videos: never too small on either side, whatever the ids. */
class CalibrationSplitTest {

    @Test
    void eightUploadsOnceRefusedAsTooFewAreSplitSixToFitTwoHeldOut() {
        // the ids of a real run where a threshold on the id hash held out fewer than 2 of these 8
        List<CalibrationVideo> videos = videos(List.of("clip709.mp4", "mandel.mp4", "u1.mp4", "u2.mp4", "u3.mp4", "u4.mp4",
                "u5.mp4", "u6.mp4"));
        PruningJob.Split split = PruningJob.split(videos);
        assertEquals(6, split.train().size());
        assertEquals(2, split.test().size());
    }

    @Test
    void everySizeFromFiveHoldsOutAboutThirtyPercentLeavingThreeToFitInAnyOrder() {
        for (int n = 5; n <= 60; n++) {
            List<String> ids = new ArrayList<>(IntStream.range(0, n).mapToObj(i -> "video-" + i + ".mp4").toList());
            PruningJob.Split split = PruningJob.split(videos(ids));
            int held = split.test().size();
            assertEquals(n, held + split.train().size());
            assertTrue(held >= 2 && split.train().size() >= 3, n + ": " + held + " held out");
            assertEquals(Math.max(2, Math.min(n - 3, Math.round(n * PruningJob.HELD_OUT))), held, "n = " + n);
            Collections.reverse(ids);
            assertEquals(split.test().stream().map(CalibrationVideo::id).sorted().toList(),
                    PruningJob.split(videos(ids)).test().stream().map(CalibrationVideo::id).sorted().toList(), "order-independent");
        }
    }

    @Test
    void fewerThanFiveIsRefusedNamingTheCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PruningJob.split(videos(List.of("a", "b", "c", "d"))));
        assertTrue(e.getMessage().endsWith("got 4"), e.getMessage());
    }

    private static List<CalibrationVideo> videos(List<String> ids) {
        return ids.stream().map(id -> new CalibrationVideo(id, OptionalDouble.of(3), () -> null)).toList();
    }
}
