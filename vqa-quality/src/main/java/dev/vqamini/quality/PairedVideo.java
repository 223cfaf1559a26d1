package dev.vqamini.quality;

/**
 * One video scored by two versions: its real score by {@code realVersion} and a shadow score by
 * {@code shadowVersion} (one of them the stable version, the other a candidate), with its MOS when labelled.
 *
 * @param mos        null when the video has no label
 * @param scoredAtMs when the later of the two scores was written (ingest time + end-to-end)
 */
public record PairedVideo(String videoId, String realVersion, double realFused, String shadowVersion, double shadowFused,
                          Double mos, long scoredAtMs) {

    /** The fused score {@code version} gave the video (NaN if it is neither of the two). */
    public double fusedBy(String version) {
        return version.equals(realVersion) ? realFused : version.equals(shadowVersion) ? shadowFused : Double.NaN;
    }

    /** Whether the pair is of exactly these two versions, in either role. */
    public boolean pairs(String a, String b) {
        return (realVersion.equals(a) && shadowVersion.equals(b)) || (realVersion.equals(b) && shadowVersion.equals(a));
    }
}
