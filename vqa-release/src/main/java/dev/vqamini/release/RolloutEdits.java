package dev.vqamini.release;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The edits a rollout admits, as pure functions from the current rollout (empty when the model has none yet) to
 * the next one. Every result is checked: weights in [0, 1] summing to at most 1, no version twice, a stable version.
 * {@link RolloutWriter} applies them read-modify-write on vqa.rollouts.
 */
public final class RolloutEdits {

    /** An edit; {@code current} is empty when the model has no rollout yet. */
    @FunctionalInterface
    public interface Edit {
        Rollout apply(String modelName, Optional<Rollout> current);
    }

    private RolloutEdits() {
    }

    /** Adds {@code version} as a candidate with {@code weight} of the traffic, or reweights it; weight 0 removes it. */
    public static Edit canary(String version, double weight) {
        checkWeight(version, weight);
        return (model, current) -> {
            Rollout r = current.orElseThrow(() -> new IllegalArgumentException("model " + model
                    + " has no rollout yet: promote a stable version first (vqa rollout promote VERSION)"));
            if (r.getStableVersion().equals(version)) {
                throw new IllegalArgumentException(version + " is the stable version of " + model + ", not a candidate");
            }
            List<RolloutCandidate> others = r.getCandidatesList().stream()
                    .filter(c -> !c.getModelVersion().equals(version)).toList();
            List<RolloutCandidate> candidates = new ArrayList<>();
            for (RolloutCandidate c : r.getCandidatesList()) {
                if (!c.getModelVersion().equals(version)) {
                    candidates.add(c);
                } else if (weight > 0) {
                    candidates.add(c.toBuilder().setTrafficWeight(weight).setRangeStart(place(others, c.getRangeStart(), weight)).build());
                }
            }
            if (candidates.size() == others.size() && weight > 0) {
                candidates.add(RolloutCandidate.newBuilder().setModelVersion(version).setTrafficWeight(weight)
                        .setRangeStart(place(others, -1, weight)).build());
            }
            if (candidates.stream().anyMatch(c -> c.getRangeStart() < 0)) {
                candidates = packed(candidates); // no gap fits: lay all ranges out again, end to end
            }
            return r.toBuilder().clearCandidates().addAllCandidates(candidates).build();
        };
    }

    /** Scores {@code fraction} of the videos with {@code version} as well, for comparison only; fraction 0 ends it. */
    public static Edit shadow(String version, double fraction) {
        checkWeight(version, fraction);
        return (model, current) -> {
            Rollout r = current.orElseThrow(() -> new IllegalArgumentException("model " + model + " has no rollout yet"));
            return fraction == 0 ? r.toBuilder().clearShadowVersion().clearShadowFraction().build()
                    : r.toBuilder().setShadowVersion(version).setShadowFraction(fraction).build();
        };
    }

    /**
     * Where a candidate of {@code weight} goes among {@code others}: at {@code keep} if its range still fits there
     * (so a reweight moves only the difference), else at the start of the first gap that holds it; -1 if none does.
     */
    private static double place(List<RolloutCandidate> others, double keep, double weight) {
        if (keep >= 0 && fits(others, keep, weight)) {
            return keep;
        }
        List<Double> starts = new ArrayList<>(List.of(0.0));
        others.forEach(c -> starts.add(c.getRangeStart() + c.getTrafficWeight()));
        return starts.stream().sorted().filter(s -> fits(others, s, weight)).findFirst().orElse(-1.0);
    }

    private static boolean fits(List<RolloutCandidate> others, double start, double weight) {
        double end = start + weight;
        return end <= 1 + 1e-12 && others.stream().noneMatch(c -> start < c.getRangeStart() + c.getTrafficWeight() - 1e-12
                && c.getRangeStart() < end - 1e-12);
    }

    private static List<RolloutCandidate> packed(List<RolloutCandidate> candidates) {
        List<RolloutCandidate> out = new ArrayList<>();
        double at = 0;
        for (RolloutCandidate c : candidates) {
            out.add(c.toBuilder().setRangeStart(at).build());
            at += c.getTrafficWeight();
        }
        return out;
    }

    /** Makes {@code version} the stable version (the first rollout of a model is made this way). */
    public static Edit promote(String version) {
        return (model, current) -> {
            if (current.isEmpty()) {
                return Rollout.newBuilder().setModelName(model).setStableVersion(version).build();
            }
            Rollout r = current.get();
            if (r.getStableVersion().equals(version)) {
                throw new IllegalArgumentException(version + " is already the stable version of " + model);
            }
            List<RolloutCandidate> rest = r.getCandidatesList().stream()
                    .filter(c -> !c.getModelVersion().equals(version)).toList();
            return r.toBuilder().setPreviousStableVersion(r.getStableVersion()).setStableVersion(version)
                    .clearCandidates().addAllCandidates(rest).build();
        };
    }

    /**
     * Takes traffic back to the stable version: removes every candidate; with no candidates, undoes the last
     * promote (the previous stable version serves again).
     */
    public static Edit rollback() {
        return (model, current) -> {
            Rollout r = current.orElseThrow(() -> new IllegalArgumentException("model " + model + " has no rollout to roll back"));
            if (r.getCandidatesCount() > 0) {
                return r.toBuilder().clearCandidates().build();
            }
            if (r.getPreviousStableVersion().isEmpty()) {
                throw new IllegalArgumentException("model " + model + ": no candidates and no earlier stable version: nothing to roll back");
            }
            return r.toBuilder().setStableVersion(r.getPreviousStableVersion()).clearPreviousStableVersion().build();
        };
    }

    /** Every version a rollout sends traffic to: the stable one, then the candidates. */
    public static List<String> versions(Rollout r) {
        List<String> out = new ArrayList<>();
        out.add(r.getStableVersion());
        r.getCandidatesList().forEach(c -> out.add(c.getModelVersion()));
        return out;
    }

    /**
     * Checks {@code r}: weights, duplicates, and that each version is among {@code published}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void validate(Rollout r, Set<String> published) {
        if (r.getStableVersion().isEmpty()) {
            throw new IllegalArgumentException("rollout of " + r.getModelName() + " has no stable version");
        }
        double sum = 0;
        for (RolloutCandidate c : r.getCandidatesList()) {
            checkWeight(c.getModelVersion(), c.getTrafficWeight());
            sum += c.getTrafficWeight();
        }
        if (sum > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format("rollout of %s: candidate weights sum to %.4f, more than 1",
                    r.getModelName(), sum));
        }
        for (RolloutCandidate c : r.getCandidatesList()) {
            List<RolloutCandidate> others = r.getCandidatesList().stream().filter(o -> o != c).toList();
            if (c.getRangeStart() < 0 || !fits(others, c.getRangeStart(), c.getTrafficWeight())) {
                throw new IllegalArgumentException("rollout of " + r.getModelName() + ": the hash range of " + c.getModelVersion()
                        + " [" + c.getRangeStart() + ", " + (c.getRangeStart() + c.getTrafficWeight())
                        + ") overlaps another or leaves [0, 1)");
            }
        }
        if (!r.getShadowVersion().isEmpty() && !published.contains(r.getShadowVersion())) {
            throw new IllegalArgumentException("shadow version " + r.getShadowVersion() + " is not on " + TopicCatalog.MODELS.name());
        }
        List<String> versions = versions(r);
        if (versions.stream().distinct().count() != versions.size()) {
            throw new IllegalArgumentException("rollout of " + r.getModelName() + " names a version twice: " + versions);
        }
        for (String v : versions) {
            if (!published.contains(v)) {
                throw new IllegalArgumentException("version " + v + " is not on " + TopicCatalog.MODELS.name()
                        + " (publish it first: vqa publish BUNDLE); published: " + published);
            }
        }
    }

    private static void checkWeight(String version, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("traffic weight of " + version + " must be in [0, 1], got " + weight);
        }
    }
}
