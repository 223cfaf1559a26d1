package dev.vqamini.scorer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /models}: the versions this instance serves and waits for, and the rollout it follows. */
@Path("/models")
public class ModelsResource {

    private final ScorerService scorer;

    ModelsResource(ScorerService scorer) {
        this.scorer = scorer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> models() {
        Map<String, Object> out = new LinkedHashMap<>();
        var registry = scorer.registry();
        out.put("serving", registry.servingVersions());
        out.put("waiting", registry.waiting());
        out.put("provider", scorer.provider());
        registry.rollout().ifPresent(r -> {
            out.put("stable", r.getStableVersion());
            Map<String, Double> candidates = new LinkedHashMap<>();
            r.getCandidatesList().forEach(c -> candidates.put(c.getModelVersion(), c.getTrafficWeight()));
            out.put("candidates", candidates);
        });
        return out;
    }
}
