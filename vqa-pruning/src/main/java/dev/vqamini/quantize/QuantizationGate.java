package dev.vqamini.quantize;

/**
 * The accuracy an INT8 version must keep against its fp32 source on the gate videos.
 *
 * @param minSrcc        lowest Spearman correlation of INT8 against fp32 fused scores
 * @param maxFusedDiff   largest |fused score difference| on any one video
 */
public record QuantizationGate(double minSrcc, double maxFusedDiff) {

    public static final QuantizationGate DEFAULT = new QuantizationGate(0.995, 0.01);

    public boolean passes(double srcc, double fusedDiff) {
        return srcc >= minSrcc && fusedDiff <= maxFusedDiff;
    }
}
