package dev.vqamini.quality.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.wire.proto.RolloutGates;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollout's promise, checked on the real controller over whole 3-step plans with a decision after every paired
 * video: false rollback at most alpha and false promotion at most beta (within Monte Carlo error), and early
 * decisions far from the threshold. A smaller grid than the docs' table (docs/rollouts.md), same code.
 */
class RolloutSimulatorTest {

    static final int REPLICATIONS = 400;
    static final List<Double> STEPS = List.of(0.05, 0.5, 1.0);

    /** {threshold, margin} pairs. */
    static final double[][] PLANS = {{0.9, 0.05}, {0.8, 0.1}};

    @Test
    void errorRatesHoldOverWholePlansAtEveryThresholdAndMargin() {
        for (double[] plan : PLANS) {
            double t = plan[0];
            double d = plan[1];
            RolloutSimulator.Result atThreshold = run(t, t, d, 11);
            RolloutSimulator.Result atMargin = run(t - d, t, d, 12);
            // the bound widened by three Monte Carlo standard errors of a rate of exactly alpha (beta)
            double slack = 3 * Math.sqrt(0.05 * 0.95 / REPLICATIONS);
            assertTrue(atThreshold.rollBack() <= 0.05 + slack, "false rollback at rho = " + t + ": " + atThreshold);
            assertTrue(atMargin.promote() <= 0.05 + slack, "false promotion at rho = " + (t - d) + ": " + atMargin);
            // the other way round is what the test is for: most plans decide rightly
            assertTrue(atThreshold.promote() >= 0.8, "promoted at the threshold: " + atThreshold);
            assertTrue(atMargin.rollBack() >= 0.8, "rolled back at the margin: " + atMargin);
        }
    }

    @Test
    void farFromTheThresholdItDecidesRightAndEarly() {
        for (double[] plan : PLANS) {
            double t = plan[0];
            double d = plan[1];
            RolloutSimulator.Result above = run(Math.min(0.99, t + 0.1), t, d, 13);
            RolloutSimulator.Result below = run(t - 0.3, t, d, 14);
            assertTrue(above.promote() >= 0.99, "well above: " + above);
            assertTrue(below.rollBack() >= 0.99, "far below: " + below);
            assertTrue(above.videosP50() < above.fixedSampleVideos() / 3.0, "well above, median videos " + above.videosP50()
                    + " against the fixed-sample " + above.fixedSampleVideos());
            assertTrue(below.videosP50() < below.fixedSampleVideos() / 5.0, "far below, median videos " + below.videosP50()
                    + " against the fixed-sample " + below.fixedSampleVideos());
        }
    }

    @Test
    void withMosTheSrccDifferenceGateKeepsItsRatesToo() {
        // MOS on half the videos; agreement's threshold low enough that the SRCC drop is what decides
        RolloutGates rates = RolloutGates.newBuilder().setMinAgreementSrcc(0.7).setIndifference(0.05).setAlpha(0.05)
                .setBeta(0.05).setMaxSrccDrop(0.02).setMinLabelledPairs(30).build();
        int replications = 200;
        double slack = 3 * Math.sqrt(0.05 * 0.95 / replications);
        RolloutSimulator.Result acceptable = RolloutSimulator.run(new RolloutSimulator.Settings(0, rates, STEPS, 20, 0,
                replications, 21, new RolloutSimulator.Labels(0.5, 0.85, 0.02)), i -> { });
        RolloutSimulator.Result unacceptable = RolloutSimulator.run(new RolloutSimulator.Settings(0, rates, STEPS, 20, 0,
                replications, 22, new RolloutSimulator.Labels(0.5, 0.85, 0.07)), i -> { });
        String rates02 = rates(acceptable);
        String rates07 = rates(unacceptable);
        System.out.printf("SRCC drop 0.02: %s%nSRCC drop 0.07: %s%n", rates02, rates07);
        assertTrue(acceptable.rollBack() <= 0.05 + slack, "false rollback at the acceptable drop: " + rates02);
        assertTrue(unacceptable.promote() <= 0.05 + slack, "false promotion at the unacceptable drop: " + rates07);
        assertTrue(unacceptable.rollBack() >= 0.8, "an unacceptable drop is rolled back: " + rates07);
    }

    private static String rates(RolloutSimulator.Result r) {
        return String.format("promote %.3f, roll back %.3f, pause %.3f, videos p50 %.0f p90 %.0f", r.promote(), r.rollBack(),
                r.pause(), r.videosP50(), r.videosP90());
    }

    private static RolloutSimulator.Result run(double trueAgreement, double threshold, double margin, long seed) {
        RolloutGates rates = RolloutGates.newBuilder().setMinAgreementSrcc(threshold).setIndifference(margin).setAlpha(0.05)
                .setBeta(0.05).build();
        RolloutSimulator.Result r = RolloutSimulator.run(new RolloutSimulator.Settings(trueAgreement, rates, STEPS, 20, 0,
                REPLICATIONS, seed), i -> { });
        System.out.printf("rho %.3f threshold %.2f margin %.2f: promote %.3f, roll back %.3f, pause %.3f, videos p50 %.0f p90 %.0f"
                        + " (max %d, fixed-sample %d)%n", trueAgreement, threshold, margin, r.promote(), r.rollBack(), r.pause(),
                r.videosP50(), r.videosP90(), r.maxVideos(), r.fixedSampleVideos());
        return r;
    }
}
