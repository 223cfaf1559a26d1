package dev.vqamini.metrics.gauges;

import dev.vqamini.quality.rollout.RolloutControllerLoop;
import dev.vqamini.wire.proto.RolloutAction;
import dev.vqamini.wire.proto.RolloutDecision;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rollout controller as gauges: whether this instance leads, and per model with a decision on record its plan's
 * step, the last action and when it was taken (Grafana annotates on changes).
 */
public final class RolloutGauges {

    private final RolloutControllerLoop loop;
    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public RolloutGauges(RolloutControllerLoop loop, MeterRegistry meters) {
        this.loop = loop;
        this.meters = meters;
        Gauge.builder("vqa.rollout.controller.leader", () -> loop.leader() ? 1 : 0)
                .description("1 on the metrics-service instance whose rollout controller acts").register(meters);
    }

    /** Registers the gauges of models whose first decision appeared since the last call. */
    public void refresh() {
        for (String model : loop.lastByModel().keySet()) {
            if (gauged.add(model)) {
                Gauge.builder("vqa.rollout.decision.step", () -> last(model).map(RolloutDecision::getStep).orElse(-1))
                        .description("plan step of the controller's last decision").tag("model", model).register(meters);
                Gauge.builder("vqa.rollout.decision.action", () -> last(model).map(d -> code(d.getAction())).orElse(0))
                        .description("last decision: 1 step up, 2 promote, -1 roll back, 3 pause, 4 stand down, 0 hold")
                        .tag("model", model).register(meters);
                Gauge.builder("vqa.rollout.decision.time.seconds", () -> last(model).map(d -> d.getDecidedAtMs() / 1000.0)
                                .orElse(Double.NaN))
                        .description("when the controller's last decision was made, epoch seconds").tag("model", model)
                        .register(meters);
            }
        }
    }

    private Optional<RolloutDecision> last(String model) {
        return Optional.ofNullable(loop.lastByModel().get(model));
    }

    /** The action code of a decision (1 step up, 2 promote, -1 roll back, 0 hold, 3 pause, 4 stand down). */
    static int code(RolloutAction a) {
        return switch (a) {
            case ROLLOUT_ACTION_STEP_UP -> 1;
            case ROLLOUT_ACTION_PROMOTE -> 2;
            case ROLLOUT_ACTION_ROLL_BACK -> -1;
            case ROLLOUT_ACTION_PAUSE -> 3;
            case ROLLOUT_ACTION_STAND_DOWN -> 4;
            default -> 0;
        };
    }
}
