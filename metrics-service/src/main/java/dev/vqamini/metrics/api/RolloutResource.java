package dev.vqamini.metrics.api;

import dev.vqamini.metrics.streams.QualityStore;
import dev.vqamini.metrics.service.RolloutControllerService;
import dev.vqamini.release.RolloutViews;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutDecision;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /rollouts}: each model's rollout with its plan, step and last decision; {@code GET /rollouts/decisions}
 * ({@code ?model=NAME}): the rollout controller's decisions on record, oldest first.
 */
@Path("/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {

    private final QualityStore quality;
    private final RolloutControllerService controller;

    RolloutResource(QualityStore quality, RolloutControllerService controller) {
        this.quality = quality;
        this.controller = controller;
    }

    @GET
    public List<Map<String, Object>> rollouts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Rollout r : new TreeMap<>(quality.rollouts()).values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.getModelName());
            m.put("revision", r.getRevision());
            m.put("stable", r.getStableVersion());
            List<Map<String, Object>> candidates = new ArrayList<>();
            r.getCandidatesList().forEach(c -> candidates.add(Map.of("version", c.getModelVersion(), "weight", c.getTrafficWeight())));
            m.put("candidates", candidates);
            m.put("shadow", r.getShadowVersion());
            m.put("shadow_fraction", r.getShadowFraction());
            m.put("plan", r.hasPlan() ? RolloutViews.plan(r.getPlan()) : null);
            m.put("last_decision", controller.lastDecision(r.getModelName()).map(RolloutViews::decision).orElse(null));
            out.add(m);
        }
        return out;
    }

    @GET
    @Path("decisions")
    public List<Map<String, Object>> decisions(@QueryParam("model") String model) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RolloutDecision d : controller.decisions()) {
            if (model == null || model.equals(d.getModelName())) {
                out.add(RolloutViews.decision(d));
            }
        }
        return out;
    }
}
