package dev.vqamini.scorer;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the rollout's stable version is in service. */
@Readiness
@ApplicationScoped
public class ScorerReadiness implements HealthCheck {

    private final ScorerService scorer;

    ScorerReadiness(ScorerService scorer) {
        this.scorer = scorer;
    }

    @Override
    public HealthCheckResponse call() {
        var registry = scorer.registry();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("models");
        if (registry == null) {
            return r.down().withData("reason", "starting").build();
        }
        r.withData("serving", String.join(",", registry.servingVersions())).withData("provider", scorer.provider());
        registry.waiting().forEach(r::withData);
        registry.rollout().ifPresent(ro -> r.withData("stable", ro.getStableVersion()));
        return registry.stableServing() ? r.up().build() : r.down().withData("reason",
                registry.rollout().isEmpty() ? "no rollout on vqa.rollouts yet" : "stable version not in service yet").build();
    }
}
