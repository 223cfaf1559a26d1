package dev.vqamini.serving;

import dev.vqamini.clips.View;
import dev.vqamini.model.runtime.EnergyMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Semaphore;

/**
 * Batches clips across videos, per (model version, view), like Triton's dynamic batcher: a batch runs when it holds
 * {@code maxBatch} clips or when its oldest clip has waited {@code maxQueueDelay}, whichever comes first. Each
 * (version, view) has its own queue and worker thread; ONNX Runtime sessions take concurrent runs. The caller bounds
 * what is queued ({@link #queued()}): the scorer pauses its Kafka partitions when the queue is full.
 */
public final class DynamicBatcher implements AutoCloseable {

    /**
     * Batch limits.
     *
     * @param concurrentRuns inference runs at once over all versions and views: on CPU 1, since one run's intra-op
     *                       threads already use the cores and two runs would only contend; on a GPU more can overlap
     */
    public record Settings(int maxBatch, Duration maxQueueDelay, int concurrentRuns) {
        public Settings {
            if (maxBatch < 1 || maxQueueDelay.isNegative() || concurrentRuns < 1) {
                throw new IllegalArgumentException("batch size " + maxBatch + ", delay " + maxQueueDelay + ", runs " + concurrentRuns);
            }
        }
    }

    /** How one clip was run. */
    public record ClipResult(float score, int batchSize, double inferenceSeconds, double queueSeconds) {
    }

    /** Told about every batch run (metrics). */
    @FunctionalInterface
    public interface BatchListener {
        void ran(String version, View view, int size, double inferenceSeconds, double[] queueSeconds);

        /**
         * The same, with the energy the run used ({@link EnergyMeter}: RAPL joules where readable, process
         * CPU-seconds always; with more than one concurrent run, runs that overlap share what they measured).
         */
        default void ran(String version, View view, int size, double inferenceSeconds, double[] queueSeconds,
                         EnergyMeter.Usage energy) {
            ran(version, view, size, inferenceSeconds, queueSeconds);
        }
    }

    private record Job(byte[] pixels, long enqueued, CompletableFuture<ClipResult> result) {
    }

    private record Key(ServingModel model, View view) {
    }

    /** How long {@link #close()} waits for a batch in flight: far longer than one batch runs on a CPU. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final Settings settings;
    private final ClipShape clip;
    private final BatchListener listener;
    private final EnergyMeter meter = EnergyMeter.system();
    private final Map<Key, BlockingQueue<Job>> queues = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Semaphore runs;
    private volatile boolean closed;

    public DynamicBatcher(Settings settings, ClipShape clip, BatchListener listener) {
        this.settings = settings;
        this.clip = clip;
        this.listener = listener;
        this.runs = new Semaphore(settings.concurrentRuns());
    }

    /** Queues one clip ({@code clip.bytes()} of uint8 pixels) for {@code model}'s {@code view} branch. */
    public CompletableFuture<ClipResult> submit(ServingModel model, View view, byte[] pixels) {
        if (pixels.length != clip.bytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("clip has " + pixels.length
                    + " bytes, the scorer takes 3 x " + clip.frames() + " x " + clip.height() + " x " + clip.width()));
        }
        CompletableFuture<ClipResult> result = new CompletableFuture<>();
        queued.incrementAndGet();
        queue(new Key(model, view)).add(new Job(pixels, System.nanoTime(), result));
        return result;
    }

    /** Clips waiting or running. */
    public int queued() {
        return queued.get();
    }

    public Settings settings() {
        return settings;
    }

    /** Ends the worker threads of a version taken out of service (after its last lease closed). */
    public synchronized void forget(ServingModel model) {
        for (View v : View.values()) {
            BlockingQueue<Job> q = queues.remove(new Key(model, v));
            if (q != null) {
                q.add(new Job(null, 0, null)); // poison pill
            }
        }
    }

    private synchronized BlockingQueue<Job> queue(Key key) {
        return queues.computeIfAbsent(key, k -> {
            BlockingQueue<Job> q = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> work(k, q), "batcher-" + k.model.version() + "-" + k.view.key());
            t.setDaemon(true);
            workers.add(t);
            t.start();
            return q;
        });
    }

    private void work(Key key, BlockingQueue<Job> q) {
        List<Job> batch = new ArrayList<>(settings.maxBatch());
        try {
            while (!closed) {
                Job first = q.take();
                if (first.result == null) {
                    return;
                }
                batch.clear();
                batch.add(first);
                long deadline = first.enqueued + settings.maxQueueDelay().toNanos();
                while (batch.size() < settings.maxBatch()) {
                    long wait = deadline - System.nanoTime();
                    Job next = wait > 0 ? q.poll(wait, TimeUnit.NANOSECONDS) : q.poll();
                    if (next == null) {
                        break;
                    }
                    if (next.result == null) {
                        run(key, batch);
                        return;
                    }
                    batch.add(next);
                }
                run(key, batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Key key, List<Job> batch) throws InterruptedException {
        int n = batch.size();
        byte[] pixels = n == 1 ? batch.get(0).pixels : new byte[n * clip.bytes()];
        for (int i = 0; n > 1 && i < n; i++) {
            System.arraycopy(batch.get(i).pixels, 0, pixels, i * clip.bytes(), clip.bytes());
        }
        runs.acquire();
        long start = System.nanoTime();
        double[] waited = new double[n];
        for (int i = 0; i < n; i++) {
            waited[i] = (start - batch.get(i).enqueued) / 1e9;
        }
        try {
            EnergyMeter.Sample before = meter.sample();
            float[] scores = key.model.score(key.view, pixels, n, clip);
            double seconds = (System.nanoTime() - start) / 1e9;
            listener.ran(key.model.version(), key.view, n, seconds, waited, meter.since(before));
            for (int i = 0; i < n; i++) {
                queued.decrementAndGet();
                batch.get(i).result.complete(new ClipResult(scores[i], n, seconds, waited[i]));
            }
        } catch (Exception | Error e) {
            for (Job j : batch) {
                queued.decrementAndGet();
                j.result.completeExceptionally(e);
            }
        } finally {
            runs.release();
        }
    }

    /**
     * Stops the workers and waits (up to {@link #CLOSE_WAIT}) for a batch still in ONNX Runtime to come back, so that
     * the sessions are never closed under a native run (a scorer stopped by SIGTERM mid-batch died of SIGSEGV in
     * {@code OrtSession.run} during VM shutdown). Clips not run are abandoned, their futures left incomplete: the
     * scoring loop has stopped, so their offsets stay uncommitted and they are scored again after the restart.
     */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closed = true;
            workers.forEach(Thread::interrupt);
            running = List.copyOf(workers);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (Thread t : running) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether every worker thread has ended (after {@link #close()}: no batch is in native code any more). */
    public synchronized boolean stopped() {
        return workers.stream().noneMatch(Thread::isAlive);
    }
}
