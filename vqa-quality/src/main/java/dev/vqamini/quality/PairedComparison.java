package dev.vqamini.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vqamini.stats.CorrelationInterval;
import dev.vqamini.stats.PairedAgreement;
import java.util.List;

/**
 * A candidate against the stable version on the same videos (shadow-paired): label-free agreement, and with MOS the
 * paired SRCC difference with its interval for dependent overlapping correlations (Zou 2007). JSON nulls where too
 * few videos.
 */
public record PairedComparison(
        @JsonProperty("pairs") int pairs,
        @JsonProperty("agreement_srcc") Double agreementSrcc,
        @JsonProperty("agreement_srcc_ci") List<Double> agreementSrccCi,
        @JsonProperty("agreement_plcc") Double agreementPlcc,
        @JsonProperty("mean_abs_difference") Double meanAbsDifference,
        @JsonProperty("max_abs_difference") Double maxAbsDifference,
        @JsonProperty("bias") Double bias,
        @JsonProperty("labelled_pairs") int labelledPairs,
        @JsonProperty("stable_srcc") Double stableSrcc,
        @JsonProperty("candidate_srcc") Double candidateSrcc,
        @JsonProperty("srcc_difference") Double srccDifference,
        @JsonProperty("srcc_difference_ci") List<Double> srccDifferenceCi,
        @JsonProperty("verdict") Comparison.Verdict verdict) {

    public static PairedComparison of(PairedAgreement a) {
        CorrelationInterval d = a.srccDifferenceCi();
        Comparison.Verdict verdict = !d.known() ? Comparison.Verdict.NO_DIFFERENCE_YET : d.low() > 0 ? Comparison.Verdict.BETTER
                : d.high() < 0 ? Comparison.Verdict.WORSE : Comparison.Verdict.NO_DIFFERENCE_YET;
        return new PairedComparison(a.n(), num(a.agreementSrcc()), ci(a.agreementSrccCi()), num(a.agreementPlcc()),
                num(a.meanAbsDifference()), num(a.maxAbsDifference()), num(a.bias()), a.labelled(), num(a.stableSrcc()),
                num(a.candidateSrcc()), num(a.srccDifference()), ci(d), verdict);
    }

    private static Double num(double x) {
        return Double.isNaN(x) ? null : x;
    }

    private static List<Double> ci(CorrelationInterval i) {
        return i.known() ? List.of(i.low(), i.high()) : null;
    }
}
