package dev.vqamini.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A candidate against the stable version. Independent samples: each version's own labelled videos, the SRCC
 * difference with its 95 % interval (Zou's method) and the verdict: {@code better} or {@code worse} when the interval
 * excludes 0, else {@code no difference yet}. Paired ({@code paired}): the two versions on the same shadow-scored
 * videos, agreement without labels and the paired SRCC difference; null while no video has both scores. {@code plan}:
 * the state of the candidate's rollout plan ({@code active}, {@code paused}, {@code promoted}, {@code rolled_back},
 * {@code aborted}; null without one): an ended plan keeps its last comparison, the evidence it was decided on.
 */
public record Comparison(
        @JsonProperty("candidate") String candidate,
        @JsonProperty("stable") String stable,
        @JsonProperty("candidate_labelled") int candidateLabelled,
        @JsonProperty("stable_labelled") int stableLabelled,
        @JsonProperty("srcc_difference") Double srccDifference,
        @JsonProperty("srcc_difference_ci") List<Double> ci,
        @JsonProperty("verdict") Verdict verdict,
        @JsonProperty("paired") PairedComparison paired,
        @JsonProperty("plan") String plan) {

    /** What the interval says; the JSON and the gauge forms are fixed (dashboards and alerts read them). */
    public enum Verdict {
        BETTER("better", 1), WORSE("worse", -1), NO_DIFFERENCE_YET("no difference yet", 0);

        private final String text;
        private final int gauge;

        Verdict(String text, int gauge) {
            this.text = text;
            this.gauge = gauge;
        }

        @JsonValue
        public String text() {
            return text;
        }

        /** -1 worse, 0 no difference yet, 1 better. */
        public int gauge() {
            return gauge;
        }
    }

    /** The same comparison marked with its candidate's plan state. */
    public Comparison withPlan(String state) {
        return new Comparison(candidate, stable, candidateLabelled, stableLabelled, srccDifference, ci, verdict, paired, state);
    }

    public int verdictValue() {
        return verdict.gauge();
    }
}
