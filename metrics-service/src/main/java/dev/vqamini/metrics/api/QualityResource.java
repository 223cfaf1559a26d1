package dev.vqamini.metrics.api;

import dev.vqamini.quality.Comparison;
import dev.vqamini.metrics.streams.QualityStore;
import dev.vqamini.quality.PairedVideo;
import dev.vqamini.quality.VersionRow;
import dev.vqamini.wire.proto.VideoScoreRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /versions}: quality, throughput, latency and cost per model version; {@code GET /scores/{videoId}}: a
 * video's score (404 until scored); {@code GET /comparison}: each candidate against the stable version;
 * {@code GET /comparison/pairs?candidate=V}: the shadow-paired videos behind that comparison's {@code paired} section.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class QualityResource {

    private final QualityStore quality;

    QualityResource(QualityStore quality) {
        this.quality = quality;
    }

    @GET
    @Path("versions")
    public List<VersionRow> versions() {
        return quality.versions();
    }

    @GET
    @Path("comparison")
    public List<Comparison> comparison() {
        return quality.comparisons();
    }

    /**
     * The videos both {@code candidate} and its stable version scored (one of them as shadow), oldest first, as
     * {@code [{video_id, stable, candidate, mos}]} ({@code mos} null when unlabelled): the points of the page's scatter.
     * 404 when {@code candidate} is in no current comparison.
     */
    @GET
    @Path("comparison/pairs")
    public Response pairs(@QueryParam("candidate") String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return Response.status(400).entity(Map.of("error", "candidate is required")).build();
        }
        return quality.comparisons().stream().filter(c -> c.candidate().equals(candidate)).findFirst()
                .map(c -> Response.ok(pairBodies(c.stable(), candidate)).build())
                .orElse(Response.status(404).entity(Map.of("error", candidate + " is not compared with a stable version")).build());
    }

    private List<Map<String, Object>> pairBodies(String stable, String candidate) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PairedVideo p : quality.pairs(stable, candidate).pairs()) {
            if (p.pairs(stable, candidate)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("video_id", p.videoId());
                m.put("stable", p.fusedBy(stable));
                m.put("candidate", p.fusedBy(candidate));
                m.put("mos", p.mos());
                out.add(m);
            }
        }
        return out;
    }

    @GET
    @Path("scores/{videoId}")
    public Response score(@PathParam("videoId") String videoId) {
        return quality.score(videoId).map(s -> Response.ok(body(s)).build())
                .orElse(Response.status(404).entity(Map.of("error", "video " + videoId + " not scored yet")).build());
    }

    private static Map<String, Object> body(VideoScoreRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("video_id", s.getVideoId());
        m.put("technical", s.getTechnical());
        m.put("aesthetic", s.getAesthetic());
        m.put("fused", s.getFused());
        m.put("model_version", s.getModelVersion());
        m.put("upload_id", s.getUploadId());
        m.put("end_to_end_ms", s.getEndToEndMs());
        return m;
    }
}
