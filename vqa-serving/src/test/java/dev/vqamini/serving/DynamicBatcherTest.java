package dev.vqamini.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.clips.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.util.concurrent.CountDownLatch;

/** The batcher over two real tiny versions; every batched score is checked against the clip run on its own. */
class DynamicBatcherTest {

    private static ServingModel v1;
    private static ServingModel v2;

    private record Batch(String version, View view, int size) {
    }

    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private DynamicBatcher batcher;

    @BeforeAll
    static void models() throws Exception {
        v1 = TinyVersions.load("v1");
        v2 = TinyVersions.load("v2");
    }

    @AfterAll
    static void closeModels() {
        v1.close();
        v2.close();
    }

    @AfterEach
    void closeBatcher() {
        if (batcher != null) {
            batcher.close();
        }
    }

    private DynamicBatcher batcher(int maxBatch, Duration delay) {
        batcher = new DynamicBatcher(new DynamicBatcher.Settings(maxBatch, delay, 1), TinyVersions.CLIP,
                (version, view, size, seconds, queued) -> {
                    assertEquals(size, queued.length);
                    batches.add(new Batch(version, view, size));
                });
        return batcher;
    }

    /** The clip's score run alone (batch of 1) on the model's session. */
    private static float alone(ServingModel m, View view, byte[] clip) throws Exception {
        return m.score(view, clip, 1, TinyVersions.CLIP)[0];
    }

    private static DynamicBatcher.ClipResult get(CompletableFuture<DynamicBatcher.ClipResult> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void clipsSubmittedTogetherRunAsOneFullBatchWithoutWaitingForTheDelay() throws Exception {
        // a delay no test would wait for: a full batch must not wait for it
        DynamicBatcher b = batcher(4, Duration.ofSeconds(60));
        List<byte[]> clips = new ArrayList<>();
        List<CompletableFuture<DynamicBatcher.ClipResult>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clips.add(TinyVersions.clip(100 + i));
            results.add(b.submit(v1, View.TECHNICAL, clips.get(i)));
        }
        for (int i = 0; i < 4; i++) {
            DynamicBatcher.ClipResult r = get(results.get(i));
            assertEquals(4, r.batchSize());
            // each clip gets its own score back, not its neighbour's
            assertEquals(alone(v1, View.TECHNICAL, clips.get(i)), r.score(), 1e-4, "clip " + i);
        }
        assertNotEquals(get(results.get(0)).score(), get(results.get(1)).score(), "different clips, different scores");
        assertEquals(List.of(new Batch("v1", View.TECHNICAL, 4)), batches);
        assertEquals(0, b.queued());
    }

    @Test
    void beyondMaxBatchTheRestRunsAsTheNextBatchOnceItsOldestClipWaitedTheDelay() throws Exception {
        Duration delay = Duration.ofMillis(300);
        DynamicBatcher b = batcher(4, delay);
        List<byte[]> clips = new ArrayList<>();
        List<CompletableFuture<DynamicBatcher.ClipResult>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clips.add(TinyVersions.clip(200 + i));
            results.add(b.submit(v1, View.TECHNICAL, clips.get(i)));
        }
        for (int i = 0; i < 6; i++) {
            DynamicBatcher.ClipResult r = get(results.get(i));
            assertEquals(i < 4 ? 4 : 2, r.batchSize(), "clip " + i);
            assertEquals(alone(v1, View.TECHNICAL, clips.get(i)), r.score(), 1e-4, "clip " + i);
        }
        assertEquals(List.of(new Batch("v1", View.TECHNICAL, 4), new Batch("v1", View.TECHNICAL, 2)), batches);
        // the short batch waited for its delay: no more clips could have come, but the batcher cannot know that
        assertTrue(get(results.get(4)).queueSeconds() >= delay.toNanos() / 1e9 * 0.95, "ran after "
                + get(results.get(4)).queueSeconds() + " s, before the delay of " + delay);
    }

    @Test
    void queuedCountsClipsUntilTheyAreDoneAndAWrongSizedClipIsRefusedAtOnce() throws Exception {
        DynamicBatcher b = batcher(4, Duration.ofSeconds(60));
        assertEquals(0, b.queued());
        List<CompletableFuture<DynamicBatcher.ClipResult>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(b.submit(v1, View.AESTHETIC, TinyVersions.clip(300 + i)));
            assertEquals(i + 1, b.queued(), "the scorer pauses its partitions on this count");
        }
        // the batch is not full and its delay is a minute away: nothing runs, nothing is lost
        Thread.sleep(50);
        assertEquals(3, b.queued());
        assertTrue(results.stream().noneMatch(CompletableFuture::isDone));

        CompletableFuture<DynamicBatcher.ClipResult> wrong = b.submit(v1, View.AESTHETIC, new byte[TinyVersions.CLIP.bytes() - 1]);
        ExecutionException e = assertThrows(ExecutionException.class, () -> wrong.get(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(3, b.queued(), "a refused clip is not queued");

        results.add(b.submit(v1, View.AESTHETIC, TinyVersions.clip(303))); // fills the batch
        for (CompletableFuture<DynamicBatcher.ClipResult> r : results) {
            assertEquals(4, get(r).batchSize());
        }
        assertEquals(0, b.queued());
        assertEquals(List.of(new Batch("v1", View.AESTHETIC, 4)), batches);
    }

    @Test
    void aFailedRunFailsEveryClipOfItsBatchAndFreesTheQueue() throws Exception {
        ServingModel broken = TinyVersions.load("v-closed");
        broken.close(); // its sessions refuse to run
        DynamicBatcher b = batcher(2, Duration.ofSeconds(60));
        CompletableFuture<DynamicBatcher.ClipResult> x = b.submit(broken, View.TECHNICAL, TinyVersions.clip(1));
        CompletableFuture<DynamicBatcher.ClipResult> y = b.submit(broken, View.TECHNICAL, TinyVersions.clip(2));
        for (CompletableFuture<DynamicBatcher.ClipResult> f : List.of(x, y)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
        assertEquals(0, b.queued(), "failed clips still counted: the scorer would stay paused for good");
        assertTrue(batches.isEmpty(), "a failed run reported as run: " + batches);
    }

    @Test
    void clipsOfTwoVersionsOrTwoViewsNeverShareABatch() throws Exception {
        DynamicBatcher b = batcher(4, Duration.ofMillis(200));
        record Sent(ServingModel model, View view, byte[] clip, CompletableFuture<DynamicBatcher.ClipResult> result) {
        }
        List<Sent> sent = new ArrayList<>();
        int seed = 400;
        // 2 + 2 clips per version and view: one queue holding them all would run batches of 4
        for (ServingModel m : List.of(v1, v2)) {
            for (View view : View.values()) {
                for (int i = 0; i < 2; i++) {
                    byte[] clip = TinyVersions.clip(seed++);
                    sent.add(new Sent(m, view, clip, b.submit(m, view, clip)));
                }
            }
        }
        for (Sent s : sent) {
            DynamicBatcher.ClipResult r = get(s.result());
            assertEquals(2, r.batchSize(), s.model().version() + " " + s.view());
            assertEquals(alone(s.model(), s.view(), s.clip()), r.score(), 1e-4,
                    "scored by " + s.model().version() + " " + s.view() + " as submitted");
        }
        assertEquals(4, batches.size(), batches.toString());
        for (ServingModel m : List.of(v1, v2)) {
            for (View view : View.values()) {
                assertTrue(batches.contains(new Batch(m.version(), view, 2)), m.version() + " " + view + " in " + batches);
            }
        }
        // the two versions really score differently, so a mixed-up batch would show in the scores
        byte[] clip = sent.get(0).clip();
        assertFalse(Math.abs(alone(v1, View.TECHNICAL, clip) - alone(v2, View.TECHNICAL, clip)) < 1e-4);
        assertFalse(Math.abs(alone(v1, View.TECHNICAL, clip) - alone(v1, View.AESTHETIC, clip)) < 1e-4);
    }

    @Test
    void closeWaitsForTheBatchInFlightBeforeTheSessionsCanClose() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        long[] runEndedAt = {0};
        // the listener runs on the worker right after ONNX Runtime returns: holding it there stands for a long run
        batcher = new DynamicBatcher(new DynamicBatcher.Settings(1, Duration.ZERO, 1), TinyVersions.CLIP,
                (version, view, size, seconds, queued) -> {
                    inFlight.countDown();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // close() interrupts: the run still ends normally
                    }
                    runEndedAt[0] = System.nanoTime();
                });
        ServingModel model = TinyVersions.load("v-stop");
        try {
            CompletableFuture<DynamicBatcher.ClipResult> first = batcher.submit(model, View.TECHNICAL, TinyVersions.clip(11));
            CompletableFuture<DynamicBatcher.ClipResult> queuedBehind = batcher.submit(model, View.TECHNICAL, TinyVersions.clip(12));
            assertTrue(inFlight.await(30, TimeUnit.SECONDS), "a batch started");
            batcher.close();
            long closedAt = System.nanoTime();
            assertTrue(batcher.stopped(), "every worker ended before close() returned");
            assertTrue(runEndedAt[0] > 0 && runEndedAt[0] <= closedAt, "close() returned only after the run in flight ended");
            assertTrue(first.isDone() && !first.isCompletedExceptionally(), "the batch in flight finished and delivered");
            assertFalse(queuedBehind.isDone(), "a clip not run is abandoned, not failed: it is scored again after a restart");
        } finally {
            model.close(); // safe now: no run in native code
        }
    }
}
