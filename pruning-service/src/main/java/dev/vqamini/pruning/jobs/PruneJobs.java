package dev.vqamini.pruning.jobs;

import dev.vqamini.dataset.ServerPaths;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.release.ModelRelease;
import dev.vqamini.dataset.DatasetFolder;
import dev.vqamini.model.BootstrapModel;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.bundle.ModelLoader;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.prune.PruneConfig;
import dev.vqamini.prune.PruningJob;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.Rollout;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.prune.PruneReport;
import java.time.Duration;

/**
 * Runs pruning jobs one at a time (each uses every core) and keeps their status. A job publishes its bundle on
 * vqa.models, and optionally a canary on vqa.rollouts, only after it succeeded; a failed job says why and
 * publishes nothing.
 */
@ApplicationScoped
public class PruneJobs {

    private static final int PROGRESS_LINES = 50;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "prune-jobs"));
    private final KafkaClientSettings kafka;
    private final Path workDir;
    private final int threads;
    private final MeterRegistry meters;
    private final ServerPaths paths;
    private final PrivateKey signKey;

    public PruneJobs(KafkaClientSettings kafka, PruneSettings settings, MeterRegistry meters) throws IOException {
        this.kafka = kafka;
        this.paths = new ServerPaths(settings.allowedRoots().orElse(List.of()), "vqa.prune.allowed-roots");
        this.signKey = settings.signKey().isPresent() ? ManifestSignature.readPrivateKey(settings.signKey().get()) : null;
        this.workDir = settings.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "vqa-prune-jobs"));
        this.threads = settings.threads();
        this.meters = meters;
    }

    /**
     * Validates and queues a job; an invalid request is refused with the reason.
     *
     * @throws ServerPaths.RefusedException when it names a server path outside the allowed roots (checked before
     *                                      anything is read)
     */
    public PruneJobStatus submit(PruneJobRequest request) {
        PruneConfig config = config(request);
        LatencyTable table = latencyTable(request);
        if (request.weights() != null && !Files.exists(paths.check("weights", request.weights()))) {
            throw new IllegalArgumentException("weights " + request.weights() + " do not exist");
        }
        if (request.labels() != null) {
            paths.check("labels", request.labels());
        }
        if (request.dataset() != null && request.calibrationDir() != null) {
            throw new IllegalArgumentException("give dataset or calibrationDir, not both");
        }
        if (request.dataset() != null) {
            paths.dataset(request.dataset());
        }
        if (request.calibrationDir() != null && !Files.isDirectory(paths.check("calibrationDir", request.calibrationDir()))) {
            throw new IllegalArgumentException("calibrationDir " + request.calibrationDir() + " is not a directory");
        }
        if (request.fragmentSample() != null && request.fragmentSample() < 1) {
            throw new IllegalArgumentException("fragmentSample must be at least 1, got " + request.fragmentSample());
        }
        if (request.canaryWeight() != null && !(request.canaryWeight() > 0 && request.canaryWeight() <= 1)) {
            throw new IllegalArgumentException("canaryWeight must be in (0, 1], got " + request.canaryWeight());
        }
        if (request.rolloutPlan() != null) {
            if (request.canaryWeight() != null) {
                throw new IllegalArgumentException("give canaryWeight or rolloutPlan, not both");
            }
            request.rolloutPlan().edit("checked"); // bad steps are refused now, not after the job's work
        }
        Job job = new Job(UUID.randomUUID().toString(), request, config, table);
        jobs.put(job.id, job);
        meters.counter("vqa.prune.jobs.submitted", "recipe", config.recipe().cliName()).increment();
        executor.submit(() -> run(job));
        return job.status();
    }

    public Optional<PruneJobStatus> status(String id) {
        return Optional.ofNullable(jobs.get(id)).map(Job::status);
    }

    public List<PruneJobStatus> all() {
        return jobs.values().stream().map(Job::status).toList();
    }

    /** The request's latency table, read now so that a missing or malformed one is refused before any work; null: none. */
    private LatencyTable latencyTable(PruneJobRequest r) {
        if (r.latencyTable() == null) {
            return null;
        }
        if (r.targetLatency() == null) {
            throw new IllegalArgumentException("latencyTable is only used with targetLatency");
        }
        try {
            return LatencyTable.read(paths.check("latencyTable", r.latencyTable()));
        } catch (IOException e) {
            throw new IllegalArgumentException("latencyTable: " + e.getMessage(), e);
        }
    }

    static PruneConfig config(PruneJobRequest r) {
        Double params = r.targetLatency() != null && r.targetParams() == 0 ? null : r.targetParams();
        return PruneConfig.builder(r.recipe(), params).targetFlops(r.targetFlops()).targetLatency(r.targetLatency()).importance(r.importance())
                .refitTarget(r.refitTarget()).channelMultiple(r.channelMultiple()).build();
    }

    private void run(Job job) {
        job.state = PruneJobStatus.State.RUNNING;
        long start = System.nanoTime();
        // Everything a status shows (error, version, finishedAt) is set before the terminal state, so a client
        // that sees SUCCEEDED or FAILED sees the whole result; any throwable ends the job, none leaves it RUNNING.
        PruneJobStatus.State end = PruneJobStatus.State.FAILED;
        try {
            PruneJobRequest r = job.request;
            ModelDefinition parent = r.weights() == null ? BootstrapModel.definition()
                    : ModelLoader.load(paths.check("weights", r.weights()));
            List<CalibrationVideo> videos = calibration(r, job);
            String version = r.version() != null ? r.version()
                    : parent.version() + "-" + job.config.recipe().cliName().replace('+', '-') + "-" + job.id.substring(0, 8);
            RunnerOptions options = threads > 0 ? RunnerOptions.defaults().withThreads(threads) : RunnerOptions.defaults();
            PruningJob.Outcome outcome = new PruningJob(job.config, options, job::log, job.latencyTable).run(parent, version, videos);
            Path bundle = workDir.resolve(version);
            Map<String, Object> evaluation = new LinkedHashMap<>(
                    new ObjectMapper().convertValue(outcome.report(), Map.class));
            ModelBundle written = ModelBundle.write(outcome.model(), bundle, outcome.provenance(), evaluation);
            job.report = outcome.report();
            job.version = version;
            if (r.publish() == null || r.publish()) {
                publish(job, outcome, written, parent);
            }
            end = PruneJobStatus.State.SUCCEEDED;
        } catch (Throwable e) {
            job.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            Log.warnf(e, "prune job %s failed", job.id);
        } finally {
            job.finishedAt = Instant.now().toString();
            job.state = end;
            meters.timer("vqa.prune.job.duration", "recipe", job.config.recipe().cliName(), "state", end.name())
                    .record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private List<CalibrationVideo> calibration(PruneJobRequest r, Job job) throws IOException {
        if (r.calibrationDir() != null || r.dataset() != null) {
            Path dir = r.dataset() != null ? paths.dataset(r.dataset()) : paths.check("calibrationDir", r.calibrationDir());
            ViewSampler sampler = new ViewSampler();
            return DatasetFolder.list(dir, DatasetFolder.defaultLabels(dir, r.labels() == null ? null : paths.check("labels", r.labels())))
                    .stream().map(e -> new CalibrationVideo(e.name(), e.mos(), () -> sampler.sample(e.file(), 0))).toList();
        }
        return new TopicSample(kafka.topicReader("calibration")).read(r.fragmentSample() == null ? 40 : r.fragmentSample(), job::log);
    }

    /**
     * Puts the pruned version on vqa.models and, when asked, adds it as a canary by editing the current rollout.
     * A model with no rollout yet first gets its parent as the stable version, published as loaded (not
     * {@code outcome.parent()}, which for a random-headed parent is an in-memory "-fitted" copy no scorer has).
     */
    private void publish(Job job, PruningJob.Outcome outcome, ModelBundle bundle, ModelDefinition parent) throws Exception {
        String name = outcome.model().name();
        ModelRelease.Published published = ModelRelease.publish(kafka, bundle.serving(), signKey);
        job.chunks = published.chunks();
        job.log(String.format("published %s on %s: %d chunks, %.1f MB", job.version, TopicCatalog.MODELS.name(), job.chunks,
                published.bytes() / 1e6));
        if (job.request.canaryWeight() == null && job.request.rolloutPlan() == null) {
            return;
        }
        RolloutWriter rollouts = new RolloutWriter(kafka);
        if (rollouts.current(name).isEmpty()) {
            if (rollouts.publishedVersions().contains(parent.version())) {
                rollouts.apply(name, RolloutEdits.promote(parent.version()));
            } else {
                ModelRelease.publishStable(kafka, ModelBundle.servingOf(parent, workDir.resolve(parent.version())), signKey);
                job.log("published the parent " + parent.version() + " as the stable version of " + name);
            }
        }
        if (job.request.rolloutPlan() != null) {
            Rollout planned = rollouts.apply(name, job.request.rolloutPlan().edit(job.version));
            job.rollout = true;
            job.log("rollout plan: " + job.version + " steps " + planned.getPlan().getStepsList() + " of " + name
                    + " traffic, stepped by the rollout controller (stable " + planned.getStableVersion() + ")");
            return;
        }
        Rollout now = rollouts.apply(name, RolloutEdits.canary(job.version, job.request.canaryWeight()));
        job.rollout = true;
        job.log("canary: " + job.request.canaryWeight() + " of " + name + " traffic to " + job.version + " (stable "
                + now.getStableVersion() + ", " + now.getCandidatesCount() + " candidates)");
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Mutable state of one job, written by the job thread, read by status calls. */
    private static final class Job {
        final String id;
        final PruneJobRequest request;
        final PruneConfig config;
        final LatencyTable latencyTable;
        final String createdAt = Instant.now().toString();
        final List<String> progress = Collections.synchronizedList(new ArrayList<>());
        volatile PruneJobStatus.State state = PruneJobStatus.State.QUEUED;
        volatile String error;
        volatile String version;
        volatile Integer chunks;
        volatile boolean rollout;
        volatile PruneReport report;
        volatile String finishedAt;

        Job(String id, PruneJobRequest request, PruneConfig config, LatencyTable latencyTable) {
            this.id = id;
            this.request = request;
            this.config = config;
            this.latencyTable = latencyTable;
        }

        void log(String line) {
            Log.infof("prune job %s: %s", id, line);
            synchronized (progress) {
                progress.add(line);
                if (progress.size() > PROGRESS_LINES) {
                    progress.remove(0);
                }
            }
        }

        PruneJobStatus status() {
            List<String> lines;
            synchronized (progress) {
                lines = List.copyOf(progress);
            }
            return new PruneJobStatus(id, state, config.recipe().cliName(), lines, error, version, chunks, rollout, report,
                    createdAt, finishedAt);
        }
    }
}
