package dev.vqamini.serving;

import static dev.vqamini.serving.TinyVersions.await;
import static dev.vqamini.serving.TinyVersions.closed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vqamini.clips.View;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.wire.proto.ModelChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry with real tiny versions: real chunks on {@code offer}, real rollouts on {@code update}, real ONNX
 * Runtime sessions (a closed session refuses to run, which is how the tests see that a model was closed).
 */
class ModelRegistryTest {

    /** Everything the registry reported, in order. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<ModelRefusedException> refusals = new CopyOnWriteArrayList<>();
    /** Every model the loader handed over, by version, in load order. */
    private final Map<String, List<ServingModel>> loaded = new ConcurrentHashMap<>();
    /** Versions whose load waits for the test (a latch per version). */
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private ModelRegistry registry;

    private final ModelRegistry.Listener listener = new ModelRegistry.Listener() {
        @Override
        public void loaded(ServingModel model) {
            events.add("loaded " + model.version());
        }

        @Override
        public void refused(ModelRefusedException e) {
            refusals.add(e);
            events.add("refused " + e.version());
        }

        @Override
        public void retired(String version) {
            events.add("retired " + version);
        }
    };

    private ServingModel load(String version, byte[] archive) throws ModelRefusedException {
        CountDownLatch gate = gates.get(version);
        if (gate != null) {
            try {
                assertTrue(gate.await(30, TimeUnit.SECONDS), "gate of " + version + " never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        ServingModel m = TinyVersions.load(version, archive);
        loaded.computeIfAbsent(version, v -> new CopyOnWriteArrayList<>()).add(m);
        return m;
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private ModelRegistry registry() {
        registry = new ModelRegistry(this::load, listener);
        return registry;
    }

    private static void publish(ModelRegistry r, String version) {
        TinyVersions.chunks(version).forEach(r::offer);
    }

    private static void awaitServing(ModelRegistry r, String... versions) throws InterruptedException {
        Set<String> want = Set.of(versions);
        await("serving exactly " + want + " (serving " + r.servingVersions() + ")", () -> r.servingVersions().equals(want));
    }

    private static float score(ServingModel m) throws Exception {
        return m.score(View.TECHNICAL, TinyVersions.clip(1), 1, TinyVersions.CLIP)[0];
    }

    @Test
    void aNewStableReplacesTheOldOneWhoseLeasesKeepItOpenUntilTheLastIsReleased() throws Exception {
        ModelRegistry r = registry();
        publish(r, "v1");
        publish(r, "v2");
        assertFalse(r.stableServing(), "no rollout yet");
        assertTrue(r.servingVersions().isEmpty(), "chunks alone put nothing in service");

        r.update(TinyVersions.stable("v1"));
        awaitServing(r, "v1");
        assertTrue(r.stableServing());
        ServingModel v1 = loaded.get("v1").get(0);
        ModelRegistry.Lease a = r.lease("v1").orElseThrow();
        ModelRegistry.Lease b = r.lease("v1").orElseThrow();
        assertSame(v1, a.model());
        assertSame(v1, b.model());
        float before = score(v1);

        r.update(TinyVersions.stable("v2"));
        awaitServing(r, "v2");
        assertTrue(r.stableServing());
        assertEquals(Optional.empty(), r.lease("v1").map(ModelRegistry.Lease::model), "a replaced version takes no new lease");
        try (ModelRegistry.Lease c = r.lease("v2").orElseThrow()) {
            assertEquals("v2", c.model().version());
            assertSame(loaded.get("v2").get(0), c.model());
        }
        // v1 is out of service but two videos still hold it: it keeps scoring, the same numbers as before
        assertFalse(events.contains("retired v1"), events.toString());
        assertEquals(before, score(a.model()));

        a.close();
        a.close(); // a lease released twice counts once
        assertFalse(events.contains("retired v1"), "closed while a lease was held: " + events);
        assertFalse(closed(b.model()), "the last lease's model was closed under it");
        assertEquals(before, score(b.model()));

        b.close();
        assertEquals(1, Collections.frequency(events, "retired v1"), events.toString());
        assertTrue(closed(v1), "retired but its sessions are still open");
        assertFalse(closed(loaded.get("v2").get(0)));
        assertEquals(List.of("loaded v1", "loaded v2", "retired v1"), events);

        r.close();
        assertTrue(closed(loaded.get("v2").get(0)), "close() closes the versions in service");
        assertEquals(List.of("loaded v1", "loaded v2", "retired v1", "retired v2"), events);
        registry = null;
    }

    @Test
    void theOldStableKeepsServingWhileItsReplacementLoads() throws Exception {
        ModelRegistry r = registry();
        publish(r, "v1");
        publish(r, "v2");
        r.update(TinyVersions.stable("v1"));
        awaitServing(r, "v1");

        CountDownLatch gate = new CountDownLatch(1);
        gates.put("v2", gate);
        r.update(TinyVersions.stable("v2"));
        // v2 is being loaded and checked: until it is in service, v1 serves (no gap where videos find no model)
        assertEquals(Set.of("v1"), r.servingVersions());
        assertTrue(r.stableServing(), "readiness dropped during a swap");
        try (ModelRegistry.Lease l = r.leaseStable().orElseThrow()) {
            assertEquals("v1", l.model().version());
        }
        assertEquals(Optional.empty(), r.lease("v2").map(ModelRegistry.Lease::model));
        assertFalse(events.contains("retired v1"));

        gate.countDown();
        awaitServing(r, "v2");
        await("v1 retired", () -> events.contains("retired v1"));
        try (ModelRegistry.Lease l = r.leaseStable().orElseThrow()) {
            assertEquals("v2", l.model().version());
        }
        assertEquals(List.of("loaded v1", "loaded v2", "retired v1"), events);
        assertTrue(closed(loaded.get("v1").get(0)));
    }

    @Test
    void aRefusedVersionNeverServesAndTheOldOneKeepsServing() throws Exception {
        ModelRegistry r = registry();
        publish(r, "v1");
        r.update(TinyVersions.stable("v1"));
        awaitServing(r, "v1");
        ServingModel v1 = loaded.get("v1").get(0);

        // a candidate whose archive is not a bundle: the real ServingModel.load refuses it
        byte[] junk = new byte[10_000];
        new SplittableRandom(3).nextBytes(junk);
        BundleChunks.split(TinyVersions.MODEL, "bad", junk).forEach(r::offer);
        r.update(TinyVersions.canary("v1", "bad", 1.0));
        await("bad refused", () -> r.refusedVersions().equals(Set.of("bad")));
        assertEquals(RefusalCheck.BUNDLE, refusals.get(0).check());
        assertEquals("bad", refusals.get(0).version());
        assertEquals(Set.of("v1"), r.servingVersions());
        assertTrue(r.lease("bad").isEmpty(), "a refused version was leased");
        assertEquals(Map.of("bad", "refused"), r.waiting());
        assertTrue(r.stableServing());

        // promoted, still refused: v1, the stable version it was to replace, keeps serving and stays open
        r.update(TinyVersions.stable("bad"));
        Thread.sleep(100); // the same archive is not tried again; give a wrong load the time to show up
        assertEquals(1, refusals.size(), "the same refused archive was loaded again");
        assertEquals(Set.of("v1"), r.servingVersions());
        assertTrue(r.lease("bad").isEmpty());
        try (ModelRegistry.Lease l = r.leaseStable().orElseThrow()) {
            assertSame(v1, l.model());
            assertFalse(closed(l.model()));
        }
        assertTrue(r.stableServing(), "the old version serves, so the scorer stays ready");
        assertFalse(events.contains("retired v1"), events.toString());
        assertFalse(closed(v1));

        // the version published again, this time a good archive: loaded, checked, swapped in; v1 retires
        TinyVersions.chunks("bad").forEach(r::offer);
        awaitServing(r, "bad");
        await("v1 retired", () -> events.contains("retired v1")); // the swap comes first, the retirement right after
        assertEquals(List.of("loaded v1", "refused bad", "loaded bad", "retired v1"), events);
        assertTrue(closed(v1));
    }

    @Test
    void aLoaderRefusalOrCorruptChunksLeaveTheStableVersionServing() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        registry = new ModelRegistry((version, archive) -> {
            if (version.equals("probe-fails")) {
                attempts.incrementAndGet();
                throw new ModelRefusedException(version, RefusalCheck.PROBE, "scores are NaN", null);
            }
            return load(version, archive);
        }, listener);
        ModelRegistry r = registry;
        publish(r, "v1");
        publish(r, "probe-fails");
        byte[] archive = new byte[10_000];
        new SplittableRandom(5).nextBytes(archive);
        List<ModelChunk> corrupt = new ArrayList<>(BundleChunks.split(TinyVersions.MODEL, "corrupt", archive));
        byte[] data = corrupt.get(0).getData().toByteArray();
        data[data.length / 2] ^= 0x5A;
        corrupt.set(0, corrupt.get(0).toBuilder().setData(ByteString.copyFrom(data)).build());
        corrupt.forEach(r::offer);

        r.update(TinyVersions.canary("v1", "probe-fails", 0.5).toBuilder().setShadowVersion("corrupt").setShadowFraction(1).build());
        await("both refused", () -> r.refusedVersions().equals(Set.of("probe-fails", "corrupt")));
        awaitServing(r, "v1");
        assertEquals(1, attempts.get());
        assertEquals(Map.of("probe-fails", RefusalCheck.PROBE, "corrupt", RefusalCheck.CHUNKS),
                Map.of(refusals.get(0).version(), refusals.get(0).check(), refusals.get(1).version(), refusals.get(1).check()));
        assertTrue(r.lease("probe-fails").isEmpty());
        assertTrue(r.lease("corrupt").isEmpty());
        assertFalse(loaded.containsKey("corrupt"), "corrupt chunks reached the loader");

        // no longer named: no longer reported as refused
        r.update(TinyVersions.stable("v1"));
        assertEquals(Set.of(), r.refusedVersions());
        assertEquals(Set.of("v1"), r.servingVersions());
    }

    @Test
    void concurrentLeasesNeverRunOnAClosedSessionAcrossSwaps() throws Exception {
        ModelRegistry r = registry();
        for (String v : List.of("v1", "v2", "v3")) {
            publish(r, v);
        }
        r.update(TinyVersions.stable("v1"));
        awaitServing(r, "v1");

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Optional<ModelRegistry.Lease> lease = r.leaseStable();
                    if (lease.isEmpty()) {
                        errors.add(new AssertionError("no version in service during a swap"));
                        return; // once per worker is enough to fail
                    }
                    try (ModelRegistry.Lease l = lease.get()) {
                        score(l.model());
                        Thread.yield();
                        score(l.model()); // still open after the swap may have happened in between
                        runs.computeIfAbsent(l.model().version(), v -> new AtomicInteger()).incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            }, "lease-worker-" + w);
            workers.add(t);
            t.start();
        }
        for (String next : List.of("v2", "v3")) {
            String current = r.servingVersions().iterator().next();
            await("a run on " + current, () -> runs.containsKey(current));
            r.update(TinyVersions.stable(next));
            awaitServing(r, next);
        }
        await("a run on v3", () -> runs.containsKey("v3"));
        stop.set(true);
        for (Thread t : workers) {
            t.join(10_000);
        }
        assertEquals(List.of(), errors);
        await("v1 and v2 retired", () -> events.contains("retired v1") && events.contains("retired v2"));
        assertEquals(Set.of("loaded v1", "loaded v2", "retired v1", "loaded v3", "retired v2"), Set.copyOf(events));
        assertEquals(5, events.size(), events.toString());
        assertTrue(events.indexOf("retired v1") > events.indexOf("loaded v2"), events.toString());
        assertTrue(events.indexOf("retired v2") > events.indexOf("loaded v3"), events.toString());
        assertTrue(closed(loaded.get("v1").get(0)));
        assertTrue(closed(loaded.get("v2").get(0)));
        assertFalse(closed(loaded.get("v3").get(0)));
    }
}
