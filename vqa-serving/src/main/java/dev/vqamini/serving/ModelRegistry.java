package dev.vqamini.serving;

import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model versions a scorer serves, fed from vqa.models (chunks) and vqa.rollouts (which versions are wanted).
 * A wanted version is assembled from its chunks, loaded and checked on a background thread ({@link ServingModel#load})
 * while the others keep serving, then put in service in one step. A version the rollout no longer names is taken out
 * of service, and its sessions are closed only when the last {@link Lease} on it is released, so no run ever uses a
 * closed session. A refused version is reported and never served; the versions before it keep serving. A new stable
 * version replaces the old one only once it is in service: until then (loading, or refused) the old stable version
 * keeps serving as {@link #leaseStable()}'s fallback.
 *
 * <p>Chunks of every version seen stay in memory (the compacted topic's size), so a version named again later loads
 * without re-reading the topic.
 */
public final class ModelRegistry implements AutoCloseable {

    /** Loads a version from its joined archive (normally {@link ServingModel#load}). */
    @FunctionalInterface
    public interface Loader {
        ServingModel load(String version, byte[] archive) throws ModelRefusedException;
    }

    /** What the registry reports (logs, metrics, dead letters). */
    public interface Listener {
        void loaded(ServingModel model);

        void refused(ModelRefusedException e);

        void retired(String version);
    }

    /** A hold on a version in service; close it when the work is done (the model stays open until then). */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public ServingModel model() {
            return entry.model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                entry.release();
            }
        }
    }

    private final class Entry {
        final ServingModel model;
        final AtomicInteger holds = new AtomicInteger(1); // 1: in service

        Entry(ServingModel model) {
            this.model = model;
        }

        void release() {
            if (holds.decrementAndGet() == 0) {
                model.close();
                listener.retired(model.version());
            }
        }
    }

    private final Loader loader;
    private final Listener listener;
    private final ExecutorService loading = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-loader");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, TreeMap<Integer, ModelChunk>> chunks = new HashMap<>();
    private final Map<String, Entry> serving = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    /** Versions refused, by the archive checksum that failed (a re-published archive is tried again). */
    private final Map<String, String> refused = new HashMap<>();
    private Rollout rollout;
    /** The stable version that keeps serving while the rollout's stable version is not in service; null if none. */
    private String fallback;

    public ModelRegistry(Loader loader, Listener listener) {
        this.loader = loader;
        this.listener = listener;
    }

    /** One record of vqa.models. */
    public synchronized void offer(ModelChunk chunk) {
        String v = chunk.getModelVersion();
        TreeMap<Integer, ModelChunk> have = chunks.computeIfAbsent(v, k -> new TreeMap<>());
        if (!have.isEmpty() && !have.firstEntry().getValue().getArchiveSha256().equals(chunk.getArchiveSha256())) {
            have.clear(); // the version was published again: start over with the new archive
        }
        have.put(chunk.getChunkIndex(), chunk);
        loadWanted();
    }

    /** The model's current rollout (the newest record of vqa.rollouts). */
    public synchronized void update(Rollout next) {
        String previousStable = fallback != null ? fallback : rollout == null ? null : rollout.getStableVersion();
        rollout = next;
        Set<String> wanted = wanted();
        // the stable version being replaced serves until its replacement is in service (or for good, if refused)
        fallback = !serving.containsKey(next.getStableVersion()) && previousStable != null && serving.containsKey(previousStable)
                ? previousStable : null;
        for (String v : new HashSet<>(serving.keySet())) {
            if (!wanted.contains(v) && !v.equals(fallback)) {
                serving.remove(v).release();
            }
        }
        loadWanted();
    }

    public synchronized Optional<Rollout> rollout() {
        return Optional.ofNullable(rollout);
    }

    /** A lease on {@code version} if it is in service. */
    public synchronized Optional<Lease> lease(String version) {
        Entry e = serving.get(version);
        if (e == null) {
            return Optional.empty();
        }
        e.holds.incrementAndGet();
        return Optional.of(new Lease(e));
    }

    /**
     * A lease on the rollout's stable version, or while that one is not in service (loading, refused) on the stable
     * version it replaces, if that one is still in service.
     */
    public synchronized Optional<Lease> leaseStable() {
        if (rollout == null) {
            return Optional.empty();
        }
        Optional<Lease> stable = lease(rollout.getStableVersion());
        return stable.isPresent() || fallback == null ? stable : lease(fallback);
    }

    /** Whether {@link #leaseStable()} has a version to lease (the scorer's readiness). */
    public synchronized boolean stableServing() {
        return rollout != null && (serving.containsKey(rollout.getStableVersion()) || fallback != null);
    }

    public synchronized Set<String> servingVersions() {
        return Set.copyOf(serving.keySet());
    }

    /** Versions the rollout names that were refused and are not in service. */
    public synchronized Set<String> refusedVersions() {
        Set<String> out = new HashSet<>();
        for (String v : wanted()) {
            if (!serving.containsKey(v) && refused.containsKey(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Versions whose chunks are still incomplete, with how many are in (for health and logs). */
    public synchronized Map<String, String> waiting() {
        Map<String, String> out = new HashMap<>();
        for (String v : wanted()) {
            if (!serving.containsKey(v)) {
                TreeMap<Integer, ModelChunk> c = chunks.get(v);
                out.put(v, refused.containsKey(v) ? "refused" : c == null ? "no chunks yet"
                        : c.size() + " of " + c.firstEntry().getValue().getChunkCount() + " chunks");
            }
        }
        return out;
    }

    private Set<String> wanted() {
        Set<String> wanted = new HashSet<>();
        if (rollout != null) {
            wanted.addAll(RolloutEdits.versions(rollout));
            if (!rollout.getShadowVersion().isEmpty()) {
                wanted.add(rollout.getShadowVersion());
            }
        }
        return wanted;
    }

    private void loadWanted() {
        for (String v : wanted()) {
            TreeMap<Integer, ModelChunk> c = chunks.get(v);
            if (serving.containsKey(v) || inFlight.contains(v) || c == null || c.isEmpty()
                    || c.size() < c.firstEntry().getValue().getChunkCount()) {
                continue;
            }
            String sha = c.firstEntry().getValue().getArchiveSha256();
            if (sha.equals(refused.get(v))) {
                continue;
            }
            inFlight.add(v);
            var received = c.values();
            byte[] archive;
            try {
                archive = BundleChunks.join(received);
            } catch (IllegalArgumentException e) {
                inFlight.remove(v);
                refuse(new ModelRefusedException(v, RefusalCheck.CHUNKS, e.getMessage(), e), sha);
                continue;
            }
            loading.submit(() -> load(v, sha, archive));
        }
    }

    private void load(String version, String sha, byte[] archive) {
        ServingModel model;
        try {
            model = loader.load(version, archive);
        } catch (ModelRefusedException e) {
            synchronized (this) {
                inFlight.remove(version);
                refuse(e, sha);
            }
            return;
        } catch (RuntimeException e) {
            synchronized (this) {
                inFlight.remove(version);
                refuse(new ModelRefusedException(version, RefusalCheck.LOAD, String.valueOf(e.getMessage()), e), sha);
            }
            return;
        }
        boolean keep;
        Entry replaced = null;
        synchronized (this) {
            inFlight.remove(version);
            keep = wanted().contains(version);
            if (keep) {
                serving.put(version, new Entry(model));
                if (fallback != null && version.equals(rollout.getStableVersion())) {
                    if (!wanted().contains(fallback)) {
                        replaced = serving.remove(fallback);
                    }
                    fallback = null;
                }
            }
        }
        if (keep) {
            listener.loaded(model);
            if (replaced != null) {
                replaced.release(); // closes it now, or when its last lease is released
            }
        } else {
            model.close(); // the rollout moved on while it loaded
        }
    }

    private void refuse(ModelRefusedException e, String sha) {
        refused.put(e.version(), sha);
        listener.refused(e);
    }

    @Override
    public synchronized void close() {
        loading.shutdownNow();
        serving.values().forEach(Entry::release);
        serving.clear();
        fallback = null;
    }
}
