package dev.vqamini.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The HTTP policy {@code vqa-metrics} on {@code /q/metrics} (kit's microprofile-config.properties): open unless
 * {@code vqa.auth.enabled=true} and {@code vqa.auth.metrics-open=false}; then a valid bearer token with any role
 * (a non-empty {@code groups} claim) is needed, so Prometheus scrapes with a token of its own.
 */
@ApplicationScoped
public class MetricsAccessPolicy implements HttpSecurityPolicy {

    static final String NAME = "vqa-metrics";

    private final VqaConfig config;

    MetricsAccessPolicy(VqaConfig config) {
        this.config = config;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        if (!config.auth().enabled() || config.auth().metricsOpen()) {
            return CheckResult.permit();
        }
        return identity.map(id -> !id.isAnonymous() && !id.getRoles().isEmpty() ? CheckResult.PERMIT : CheckResult.DENY);
    }

    @Override
    public String name() {
        return NAME;
    }
}
