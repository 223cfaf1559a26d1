package dev.vqamini.metrics.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code vqa.rollout.controller.*}: the rollout controller metrics-service runs. */
@ConfigMapping(prefix = "vqa.rollout.controller")
public interface RolloutControllerSettings {

    /** Off: this instance never acts (it still serves the decisions on record). */
    @WithDefault("true")
    boolean enabled();

    /** The election: metrics-service instances with the same group id share one acting controller. */
    @WithDefault("vqa-rollout-controller")
    String groupId();

    /** How often the acting controller decides every active plan. */
    @WithDefault("5s")
    Duration interval();

    /** How long a controller that died keeps the lead before another instance takes over. */
    @WithDefault("10s")
    Duration sessionTimeout();
}
