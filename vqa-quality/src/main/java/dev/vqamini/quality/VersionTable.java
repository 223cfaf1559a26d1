package dev.vqamini.quality;

import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.stats.Agreement;
import dev.vqamini.stats.CorrelationInterval;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.PlanState;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes the per-version table from the topology's stores (windows, stats), the manifests announced on
 * vqa.models (chunk 0 carries it, no archive is assembled) and the current rollouts. Framework-free; the service
 * feeds it and serves it.
 */
public final class VersionTable {

    private record Cost(Long parameters, Long flops, Long bytes, String recipe) {
    }

    private final Map<String, Cost> costs = new ConcurrentHashMap<>();
    private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();

    /** A record of vqa.models: only chunk 0's manifest is read. */
    public void offer(ModelChunk chunk) {
        if (chunk.getChunkIndex() != 0) {
            return;
        }
        Cost cost = new Cost(null, null, chunk.getTotalBytes(), null);
        if (!chunk.getManifestJson().isEmpty()) {
            try {
                ModelManifest m = ModelManifest.parse(chunk.getManifestJson());
                cost = new Cost(m.parameters(), m.flopsPerClip(), chunk.getTotalBytes(), m.recipe());
            } catch (IllegalArgumentException e) {
                // a manifest we cannot read leaves the cost unknown, nothing else
            }
        }
        costs.put(chunk.getModelVersion(), cost);
    }

    public void offer(Rollout rollout) {
        rollouts.put(rollout.getModelName(), rollout);
    }

    /** One row per version that has scores, sorted by version name. */
    public List<VersionRow> rows(Map<String, VersionWindow> windows, Map<String, VersionStats> stats) {
        List<VersionRow> rows = new ArrayList<>();
        for (String v : new TreeSet<>(stats.keySet())) {
            rows.add(row(v, windows.get(v), stats.get(v)));
        }
        return rows;
    }

    /**
     * Every candidate of every rollout (and a shadow version that is not a candidate) against its stable version:
     * on independent samples from {@code windows}, and paired on the same videos from {@code pairs} (keyed by
     * {@link PairWindow#key}).
     */
    public List<Comparison> comparisons(Map<String, VersionWindow> windows, Map<String, PairWindow> pairs) {
        List<Comparison> out = new ArrayList<>();
        for (Rollout r : new TreeMap<>(rollouts).values()) {
            List<String> compared = new ArrayList<>();
            r.getCandidatesList().forEach(c -> compared.add(c.getModelVersion()));
            if (!r.getShadowVersion().isEmpty() && !r.getShadowVersion().equals(r.getStableVersion())
                    && !compared.contains(r.getShadowVersion())) {
                compared.add(r.getShadowVersion());
            }
            for (String candidate : compared) {
                String plan = RolloutPlans.planOf(r, candidate).map(RolloutPlans::state).orElse(null);
                out.add(compare(candidate, r.getStableVersion(), windows, pairs).withPlan(plan));
            }
            if (r.hasPlan() && !RolloutPlans.live(r.getPlan())) {
                // an ended plan keeps its last comparison: the evidence it was decided on (a promoted candidate is
                // stable now, and was compared with the stable version before it)
                String candidate = r.getPlan().getCandidateVersion();
                String stable = r.getPlan().getState() == PlanState.PLAN_STATE_PROMOTED ? r.getPreviousStableVersion()
                        : r.getStableVersion();
                if (!compared.contains(candidate) && !stable.isEmpty() && !stable.equals(candidate)) {
                    out.add(compare(candidate, stable, windows, pairs).withPlan(RolloutPlans.state(r.getPlan())));
                }
            }
        }
        return out;
    }

    private static Comparison compare(String candidate, String stable, Map<String, VersionWindow> windows,
                                      Map<String, PairWindow> pairs) {
        Comparison c = compare(candidate, windows.get(candidate), stable, windows.get(stable));
        PairWindow p = pairs.get(PairWindow.key(stable, candidate));
        return p == null ? c : withPaired(c, PairedComparison.of(p.agreement(stable, candidate)));
    }

    /** The current rollouts by model name (what the rollout controller walks). */
    public Map<String, Rollout> rollouts() {
        return Map.copyOf(rollouts);
    }

    private static Comparison withPaired(Comparison c, PairedComparison p) {
        return new Comparison(c.candidate(), c.stable(), c.candidateLabelled(), c.stableLabelled(), c.srccDifference(),
                c.ci(), c.verdict(), p, c.plan());
    }

    static Comparison compare(String candidate, VersionWindow cw, String stable, VersionWindow sw) {
        Agreement a = agreement(cw);
        Agreement b = agreement(sw);
        int na = cw == null ? 0 : cw.videos().size();
        int nb = sw == null ? 0 : sw.videos().size();
        if (a == null || b == null) {
            return new Comparison(candidate, stable, na, nb, null, null, Comparison.Verdict.NO_DIFFERENCE_YET, null, null);
        }
        CorrelationInterval d = CorrelationInterval.difference(a.srcc(), CorrelationInterval.spearman(a.srcc(), na),
                b.srcc(), CorrelationInterval.spearman(b.srcc(), nb));
        Comparison.Verdict verdict = !d.known() ? Comparison.Verdict.NO_DIFFERENCE_YET : d.low() > 0 ? Comparison.Verdict.BETTER
                : d.high() < 0 ? Comparison.Verdict.WORSE : Comparison.Verdict.NO_DIFFERENCE_YET;
        return new Comparison(candidate, stable, na, nb, a.srcc() - b.srcc(), d.known() ? List.of(d.low(), d.high()) : null, verdict, null, null);
    }

    private VersionRow row(String v, VersionWindow w, VersionStats s) {
        Agreement a = agreement(w);
        int n = w == null ? 0 : w.videos().size();
        Cost cost = costs.getOrDefault(v, new Cost(null, null, null, null));
        VersionRow.Role role = VersionRow.Role.RETIRED;
        Double weight = 0.0;
        for (Rollout r : rollouts.values()) {
            if (r.getStableVersion().equals(v)) {
                role = VersionRow.Role.STABLE;
                weight = 1 - r.getCandidatesList().stream().mapToDouble(RolloutCandidate::getTrafficWeight).sum();
            }
            for (RolloutCandidate c : r.getCandidatesList()) {
                if (c.getModelVersion().equals(v)) {
                    role = VersionRow.Role.CANDIDATE;
                    weight = c.getTrafficWeight();
                }
            }
        }
        return new VersionRow(v, role, weight, s.videos(), s.clips(), n,
                a == null ? null : a.srcc(), a == null ? null : ci(CorrelationInterval.spearman(a.srcc(), n)),
                a == null ? null : a.plcc(), a == null ? null : a.plccRaw(),
                a == null ? null : ci(CorrelationInterval.pearson(a.plccRaw(), n)),
                a == null ? null : a.krcc(), a == null ? null : ci(CorrelationInterval.kendall(a.krcc(), n)),
                quantile(s.endToEndSeconds(), 0.5), quantile(s.endToEndSeconds(), 0.99),
                quantile(s.inferenceSeconds(), 0.5), quantile(s.inferenceSeconds(), 0.99),
                s.videosPerSecond(), s.clipsPerSecond(), cost.parameters(), cost.flops(), cost.bytes(), cost.recipe());
    }

    private static Agreement agreement(VersionWindow w) {
        return w == null || w.videos().size() < 4 ? null : Agreement.of(w.fused(), w.mos());
    }

    private static List<Double> ci(CorrelationInterval i) {
        return i.known() ? List.of(i.low(), i.high()) : null;
    }

    /** The q-quantile by the nearest-rank method (null with no values). */
    static Double quantile(List<Double> xs, double q) {
        if (xs.isEmpty()) {
            return null;
        }
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
