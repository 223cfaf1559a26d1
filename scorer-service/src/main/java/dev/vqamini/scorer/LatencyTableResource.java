package dev.vqamini.scorer;

import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.model.latency.LatencyTableMeasurer;
import dev.vqamini.serving.ClipShape;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * This scorer's latency table, so that a prune job can target the hardware that will serve the version:
 * {@code POST /latency-table} measures one (what {@code vqa latency-table} measures, on this instance's provider,
 * threads and clip shape) in the background, {@code GET /latency-table} returns it as JSON (202 with the last progress
 * line while measuring); saved to a file, it is a prune job's {@code latencyTable}. Measuring takes this scorer's
 * cores for minutes, so it runs only on request, one at a time (409 while one runs); with authentication on, the POST
 * needs the operator role like every write.
 */
@Path("/latency-table")
@ApplicationScoped
public class LatencyTableResource {

    private final ScorerService scorer;
    private final ScorerSettings settings;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "latency-table"));
    private volatile boolean measuring;
    private volatile String progress = "";
    private volatile LatencyTable table;
    private volatile String error;

    LatencyTableResource(ScorerService scorer, ScorerSettings settings) {
        this.scorer = scorer;
        this.settings = settings;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public synchronized Response measure() {
        if (measuring) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", "a latency table is being measured: " + progress)).build();
        }
        measuring = true;
        error = null;
        progress = "queued";
        ClipShape clip = scorer.clip();
        ScorerSettings.LatencyTable t = settings.latencyTable();
        executor.submit(() -> {
            try {
                table = LatencyTableMeasurer.builder(scorer.runnerOptions()).clip(clip.frames(), clip.height(), clip.width())
                        .passes(t.passes()).repeats(t.repeats()).gridPoints(t.gridPoints()).progress(m -> progress = m)
                        .build().measure();
                Log.infof("latency table %s measured: %s", table.digest().substring(0, 12), table.header().describe());
            } catch (Exception | LinkageError e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                Log.warnf(e, "measuring the latency table failed");
            } finally {
                measuring = false;
            }
        });
        return Response.accepted(Map.of("state", "measuring", "poll", "GET /latency-table")).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        if (measuring) {
            return Response.accepted(Map.of("state", "measuring", "progress", progress)).build();
        }
        if (table != null) {
            return Response.ok(table.toJson()).build();
        }
        return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", error != null
                ? "measuring the latency table failed: " + error
                : "no latency table measured yet: POST /latency-table measures one (minutes of this scorer's CPU)")).build();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
