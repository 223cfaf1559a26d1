package dev.vqamini.stats;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * How well predicted scores agree with MOS, the numbers VQA papers report.
 *
 * @param n          number of videos
 * @param srcc       Spearman rank correlation (monotonic agreement; what ranking quality is judged by)
 * @param plccRaw    Pearson correlation of the raw predictions
 * @param plcc       Pearson correlation after the 4-parameter logistic fit (the "PLCC" of papers)
 * @param krcc       Kendall rank correlation (tau-b, handles ties)
 * @param rmse       root mean square error in MOS units after the fit
 * @param fit        the fitted logistic, or {@code null} when it did not converge and a straight line was used
 */
public record Agreement(int n, double srcc, double plccRaw, double plcc, double krcc, double rmse, LogisticFit fit) {

    /** Computes all measures for paired {@code predicted} and {@code mos}. */
    public static Agreement of(double[] predicted, double[] mos) {
        if (predicted.length != mos.length) {
            throw new IllegalArgumentException(predicted.length + " predictions but " + mos.length + " MOS values");
        }
        if (predicted.length < 4) {
            throw new IllegalArgumentException("need at least 4 videos for correlations and a 4-parameter fit, got " + predicted.length);
        }
        double srcc = new SpearmansCorrelation().correlation(predicted, mos);
        double plccRaw = new PearsonsCorrelation().correlation(predicted, mos);
        double krcc = new KendallsCorrelation().correlation(predicted, mos);
        LogisticFit fit;
        double[] mapped;
        try {
            fit = LogisticFit.fit(predicted, mos);
            mapped = fit.apply(predicted);
        } catch (RuntimeException e) {
            // non-convergence on degenerate data: a linear map keeps RMSE meaningful, PLCC stays the raw one
            fit = null;
            SimpleRegression line = new SimpleRegression();
            for (int i = 0; i < predicted.length; i++) {
                line.addData(predicted[i], mos[i]);
            }
            mapped = new double[predicted.length];
            for (int i = 0; i < predicted.length; i++) {
                mapped[i] = line.predict(predicted[i]);
            }
        }
        double plcc = fit == null ? plccRaw : new PearsonsCorrelation().correlation(mapped, mos);
        double se = 0;
        for (int i = 0; i < mos.length; i++) {
            se += (mapped[i] - mos[i]) * (mapped[i] - mos[i]);
        }
        return new Agreement(predicted.length, srcc, plccRaw, plcc, krcc, Math.sqrt(se / mos.length), fit);
    }
}
