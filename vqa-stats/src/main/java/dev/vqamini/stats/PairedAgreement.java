package dev.vqamini.stats;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import java.util.Arrays;

/**
 * How two model versions compare on the same videos (paired through shadow scoring). Label-free: how well the
 * candidate's fused scores agree with the stable's (SRCC, PLCC, mean and max absolute difference, bias). With MOS
 * on some of those videos: each version's SRCC against MOS on exactly those videos and their difference, with the
 * interval for dependent overlapping correlations (Zou 2007), which is far narrower than the independent-sample
 * interval when the two versions mostly agree.
 *
 * @param n                  paired videos
 * @param agreementSrcc      SRCC between stable and candidate scores (NaN below 4 pairs)
 * @param agreementSrccCi    its 95 % interval (Fisher z, Spearman variance)
 * @param agreementPlcc      PLCC between stable and candidate scores
 * @param meanAbsDifference  mean |candidate - stable|
 * @param maxAbsDifference   max |candidate - stable|
 * @param bias               mean (candidate - stable)
 * @param labelled           paired videos with MOS
 * @param stableSrcc         SRCC(stable, MOS) on the labelled pairs (NaN below 4)
 * @param candidateSrcc      SRCC(candidate, MOS) on the same videos
 * @param srccDifference     candidateSrcc - stableSrcc
 * @param srccDifferenceCi   its 95 % interval for dependent overlapping correlations
 */
public record PairedAgreement(int n, double agreementSrcc, CorrelationInterval agreementSrccCi, double agreementPlcc,
                              double meanAbsDifference, double maxAbsDifference, double bias,
                              int labelled, double stableSrcc, double candidateSrcc, double srccDifference,
                              CorrelationInterval srccDifferenceCi) {

    /** Below this many videos correlations are not computed. */
    public static final int MIN_VIDEOS = 4;

    /**
     * @param stable    the stable version's fused scores
     * @param candidate the candidate's fused scores of the same videos, in the same order
     * @param mos       MOS of each video, NaN where unlabelled (null: no labels at all)
     */
    public static PairedAgreement of(double[] stable, double[] candidate, double[] mos) {
        if (stable.length != candidate.length || (mos != null && mos.length != stable.length)) {
            throw new IllegalArgumentException("paired arrays differ in length: " + stable.length + ", "
                    + candidate.length + (mos == null ? "" : ", " + mos.length));
        }
        int n = stable.length;
        double sumAbs = 0;
        double maxAbs = n == 0 ? Double.NaN : 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = candidate[i] - stable[i];
            sum += d;
            sumAbs += Math.abs(d);
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        double agreement = Double.NaN;
        double plcc = Double.NaN;
        CorrelationInterval agreementCi = CorrelationInterval.UNKNOWN;
        if (n >= MIN_VIDEOS) {
            agreement = correlation(new SpearmansCorrelation().correlation(stable, candidate), stable, candidate);
            plcc = correlation(new PearsonsCorrelation().correlation(stable, candidate), stable, candidate);
            agreementCi = CorrelationInterval.spearman(agreement, n);
        }
        int labelled = 0;
        if (mos != null) {
            for (double m : mos) {
                labelled += Double.isNaN(m) ? 0 : 1;
            }
        }
        double stableSrcc = Double.NaN;
        double candidateSrcc = Double.NaN;
        CorrelationInterval differenceCi = CorrelationInterval.UNKNOWN;
        if (labelled >= MIN_VIDEOS) {
            double[] s = new double[labelled];
            double[] c = new double[labelled];
            double[] m = new double[labelled];
            for (int i = 0, j = 0; i < n; i++) {
                if (!Double.isNaN(mos[i])) {
                    s[j] = stable[i];
                    c[j] = candidate[i];
                    m[j++] = mos[i];
                }
            }
            SpearmansCorrelation spearman = new SpearmansCorrelation();
            stableSrcc = spearman.correlation(s, m);
            candidateSrcc = spearman.correlation(c, m);
            double between = correlation(spearman.correlation(c, s), c, s);
            differenceCi = CorrelationInterval.overlappingDifference(candidateSrcc,
                    CorrelationInterval.spearman(candidateSrcc, labelled), stableSrcc,
                    CorrelationInterval.spearman(stableSrcc, labelled), between);
        }
        return new PairedAgreement(n, agreement, agreementCi, plcc, n == 0 ? Double.NaN : sumAbs / n, maxAbs,
                n == 0 ? Double.NaN : sum / n, labelled, stableSrcc, candidateSrcc, candidateSrcc - stableSrcc,
                differenceCi);
    }

    /**
     * A correlation of two score lists; identical lists with no spread (commons-math answers NaN) agree perfectly,
     * so a candidate equal to stable on constant scores is not "unknown".
     */
    static double correlation(double r, double[] a, double[] b) {
        if (Double.isNaN(r) && Arrays.equals(a, b)) {
            return 1;
        }
        return r;
    }
}
