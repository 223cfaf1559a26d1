package dev.vqamini.pruning.jobs;

import dev.vqamini.prune.PruneReport;
import java.util.List;

/** What {@code GET /prune-jobs/{id}} answers: state, recent progress, and the result or the reason it failed. */
public record PruneJobStatus(String id, State state, String recipe, List<String> progress, String error, String version,
                             Integer chunksPublished, boolean rolloutPublished, PruneReport report, String createdAt,
                             String finishedAt) {

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }
}
