package dev.vqamini.cli;

import dev.vqamini.release.RolloutPlans;
import dev.vqamini.wire.proto.RolloutGates;
import picocli.CommandLine.Option;

/** The options that state a rollout plan's hypotheses and error rates; shared by {@code rollout plan} and {@code simulate}. */
final class RolloutErrorRateOptions {

    @Option(names = "--min-agreement", defaultValue = "" + RolloutPlans.DEFAULT_MIN_AGREEMENT, paramLabel = "A",
            description = "Label-free gate: the candidate's population SRCC with the stable version's scores at least A"
                    + " is acceptable (default ${DEFAULT-VALUE}).")
    double minAgreement;
    @Option(names = "--indifference", defaultValue = "" + RolloutPlans.DEFAULT_INDIFFERENCE, paramLabel = "D",
            description = "Agreement at most A - D is unacceptable; between, either decision is (default ${DEFAULT-VALUE}).")
    double indifference;
    @Option(names = "--alpha", defaultValue = "" + RolloutPlans.DEFAULT_ALPHA, paramLabel = "P",
            description = "Most probable rollback of an acceptable candidate over the whole plan, split over the gates in"
                    + " force (default ${DEFAULT-VALUE}).")
    double alpha;
    @Option(names = "--beta", defaultValue = "" + RolloutPlans.DEFAULT_BETA, paramLabel = "P",
            description = "Most probable promotion of an unacceptable candidate over the whole plan (default ${DEFAULT-VALUE}).")
    double beta;
    @Option(names = "--max-videos", defaultValue = "0", paramLabel = "N",
            description = "Paired videos over the plan before an undecided plan pauses for an operator; 0: 1.25 x the"
                    + " fixed-sample size of the same error rates (default ${DEFAULT-VALUE}).")
    int maxVideos;

    /** These hypotheses and rates on a plan request. */
    RolloutPlans.Request applyTo(RolloutPlans.Request request) {
        return request.minAgreement(minAgreement).indifference(indifference).alpha(alpha).beta(beta).maxVideos(maxVideos);
    }

    /** Gates with these hypotheses and rates (the other gates unset). */
    RolloutGates.Builder gates() {
        return RolloutGates.newBuilder().setMinAgreementSrcc(minAgreement).setIndifference(indifference).setAlpha(alpha)
                .setBeta(beta).setMaxVideos(maxVideos);
    }
}
