package dev.vqamini.pruning.jobs;

import dev.vqamini.dataset.ServerPaths;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.Map;

/** REST face of {@link PruneJobs}: submit a job, follow its progress, read its report. */
@Path("/prune-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PruneJobResource {

    private final PruneJobs jobs;

    public PruneJobResource(PruneJobs jobs) {
        this.jobs = jobs;
    }

    @POST
    public Response submit(PruneJobRequest request, @Context UriInfo uri) {
        if (request == null) {
            return Response.status(400).entity(Map.of("error", "a JSON body is required")).build();
        }
        try {
            PruneJobStatus status = jobs.submit(request);
            return Response.accepted(status).location(uri.getAbsolutePathBuilder().path(status.id()).build()).build();
        } catch (ServerPaths.RefusedException e) {
            return Response.status(403).entity(Map.of("error", e.getMessage())).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @GET
    @Path("/{id}")
    public PruneJobStatus get(@PathParam("id") String id) {
        return jobs.status(id).orElseThrow(() -> new NotFoundException("no prune job " + id));
    }

    @GET
    public List<PruneJobStatus> list() {
        return jobs.all();
    }
}
