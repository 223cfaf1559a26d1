package dev.vqamini.metrics.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A candidate against the stable version on the same traffic window: the SRCC difference with its 95 % interval
 * (Zou's method) and the verdict: {@code better} or {@code worse} when the interval excludes 0, else
 * {@code no difference yet}.
 */
public record Comparison(
        @JsonProperty("candidate") String candidate,
        @JsonProperty("stable") String stable,
        @JsonProperty("candidate_labelled") int candidateLabelled,
        @JsonProperty("stable_labelled") int stableLabelled,
        @JsonProperty("srcc_difference") Double srccDifference,
        @JsonProperty("srcc_difference_ci") List<Double> ci,
        @JsonProperty("verdict") String verdict) {

    /** -1 worse, 0 no difference yet, 1 better: the gauge form of the verdict. */
    public int verdictValue() {
        return switch (verdict) {
            case "better" -> 1;
            case "worse" -> -1;
            default -> 0;
        };
    }
}
