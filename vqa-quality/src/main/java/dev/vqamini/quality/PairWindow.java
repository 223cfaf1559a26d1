package dev.vqamini.quality;

import dev.vqamini.stats.PairedAgreement;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} paired videos of two versions (either may be the shadow), oldest first; a video seen
 * again (a label arrived) replaces its earlier pair. Keyed by {@link #key(String, String)}, which does not depend on
 * which version was the shadow, so that pairs keep accumulating when a rollout turns the shadow around.
 */
public record PairWindow(List<PairedVideo> pairs) {

    public static PairWindow empty() {
        return new PairWindow(List.of());
    }

    /** The store key of the pairs of two versions, the same in either order. */
    public static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    public PairWindow with(PairedVideo p, int capacity) {
        List<PairedVideo> next = new ArrayList<>(pairs.size() + 1);
        for (PairedVideo old : pairs) {
            if (!old.videoId().equals(p.videoId())) {
                next.add(old);
            }
        }
        next.add(p);
        return new PairWindow(next.size() > capacity ? List.copyOf(next.subList(next.size() - capacity, next.size())) : next);
    }

    /** The pairs scored after {@code sinceMs} (a rollout step's own evidence: none counts for two steps). */
    public PairWindow since(long sinceMs) {
        return new PairWindow(pairs.stream().filter(p -> p.scoredAtMs() > sinceMs).toList());
    }

    /** Stable against candidate on these pairs, with MOS where labelled. */
    public PairedAgreement agreement(String stable, String candidate) {
        return scores(stable, candidate).agreement();
    }

    /** The two versions' scores of the videos both scored, oldest first. */
    public PairedScores scores(String stable, String candidate) {
        List<PairedVideo> of = pairs.stream().filter(p -> p.pairs(stable, candidate)).toList();
        double[] s = new double[of.size()];
        double[] c = new double[of.size()];
        double[] m = new double[of.size()];
        for (int i = 0; i < of.size(); i++) {
            PairedVideo p = of.get(i);
            s[i] = p.fusedBy(stable);
            c[i] = p.fusedBy(candidate);
            m[i] = p.mos() == null ? Double.NaN : p.mos();
        }
        return new PairedScores(s, c, m);
    }
}
