package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.quality.rollout.RolloutGateJudge;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutPlans;
import dev.vqamini.release.RolloutViews;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.serde.WireSerdes;
import dev.vqamini.wire.proto.GateValue;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import dev.vqamini.wire.proto.RolloutDecision;
import dev.vqamini.wire.proto.RolloutGates;
import dev.vqamini.wire.proto.RolloutPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.AuthorizationException;

/** {@code vqa rollout}: shows and edits which model versions serve traffic (vqa.rollouts). */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Show or edit the rollout of a model on vqa.rollouts: the stable version and the candidates with",
                "their share of videos. Every edit reads the current rollout, changes it and writes it back; versions",
                "must be on vqa.models (vqa publish), weights in [0, 1] summing to at most 1. A planned candidate",
                "(vqa rollout plan) is stepped up, promoted or rolled back by metrics-service's rollout controller;",
                "a hand edit of its weight makes the controller stand down until vqa rollout resume."},
        subcommands = {RolloutCommand.Show.class, RolloutCommand.Canary.class, RolloutCommand.Promote.class,
                RolloutCommand.Rollback.class, RolloutCommand.Shadow.class, RolloutCommand.Plan.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Abort.class,
                RolloutSimulateCommand.class})
public final class RolloutCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options every subcommand takes. */
    static final class Target {
        @Mixin
        KafkaOption kafka;

        @Option(names = "--model", defaultValue = "dover-mobile", paramLabel = "NAME",
                description = "Model name (the rollout's key; default ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--json", description = "Print the rollout as JSON.")
        boolean json;

        RolloutWriter writer() {
            return new RolloutWriter(kafka.settings());
        }

        int print(Rollout r) throws Exception {
            return print(r, Optional.empty());
        }

        int print(Rollout r, Optional<RolloutDecision> lastDecision) throws Exception {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", r.getModelName());
                m.put("stable", r.getStableVersion());
                List<Map<String, Object>> c = new ArrayList<>();
                for (RolloutCandidate x : r.getCandidatesList()) {
                    c.add(Map.of("version", x.getModelVersion(), "weight", x.getTrafficWeight()));
                }
                m.put("candidates", c);
                m.put("previous_stable", r.getPreviousStableVersion());
                m.put("shadow", r.getShadowVersion());
                m.put("shadow_fraction", r.getShadowFraction());
                m.put("revision", r.getRevision());
                m.put("updated_at_ms", r.getUpdatedAtMs());
                m.put("plan", r.hasPlan() ? RolloutViews.plan(r.getPlan()) : null);
                m.put("last_decision", lastDecision.map(RolloutViews::decision).orElse(null));
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } else {
                double share = r.getCandidatesList().stream().mapToDouble(RolloutCandidate::getTrafficWeight).sum();
                System.out.printf("%s (revision %d): stable %s (%.0f %% of videos)%n", r.getModelName(), r.getRevision(),
                        r.getStableVersion(), 100 * (1 - share));
                for (RolloutCandidate x : r.getCandidatesList()) {
                    System.out.printf("  candidate %s (%.0f %%)%n", x.getModelVersion(), 100 * x.getTrafficWeight());
                }
                if (!r.getShadowVersion().isEmpty()) {
                    System.out.printf("  shadow %s (%.0f %% of the other versions' videos)%n", r.getShadowVersion(), 100 * r.getShadowFraction());
                }
                if (r.hasPlan()) {
                    RolloutPlan p = r.getPlan();
                    List<String> steps = p.getStepsList().stream().map(w -> String.format("%.0f", 100 * w)).toList();
                    System.out.printf("  plan for %s: %s, step %d of %s %%, at least %d paired videos and %d s per step (%s)%n",
                            p.getCandidateVersion(), RolloutPlans.state(p), p.getCurrentStep(), String.join(" -> ", steps),
                            p.getMinVideos(), p.getMinSeconds(), p.getReason());
                    RolloutGates g = RolloutPlans.withDefaults(p.getGates());
                    System.out.printf(Locale.ROOT, "  error rates: agreement >= %.3f rolled back with probability <= %.4f,"
                                    + " <= %.3f promoted with probability <= %.4f%n", g.getMinAgreementSrcc(), g.getAlpha(),
                            g.getMinAgreementSrcc() - g.getIndifference(), g.getBeta());
                }
                lastDecision.ifPresent(d -> {
                    System.out.printf("  last decision: %s %s at step %d: %s%n", RolloutViews.action(d), d.getCandidateVersion(),
                            d.getStep(), d.getReason());
                    System.out.printf("    paired videos: %d this step, %d this plan, at most %d before a pause%n",
                            d.getStepPairs(), d.getPlanPairs(), d.getMaxVideos());
                    for (GateValue g : d.getGatesList()) {
                        System.out.printf("    %-12s %s%n",
                                g.getOutcome().name().substring("GATE_OUTCOME_".length()).toLowerCase(Locale.ROOT),
                                RolloutGateJudge.describe(g));
                    }
                });
            }
            return 0;
        }

        /** The rollout controller's last decision on the model (vqa.rollout-decisions), if any. */
        Optional<RolloutDecision> lastDecision() {
            RolloutDecision[] last = {null};
            try {
                kafka.settings().topicReader("rollout-show").readToEnd(TopicCatalog.ROLLOUT_DECISIONS.name(),
                        WireSerdes.rolloutDecisions().deserializer(), (key, d) -> {
                            if (d != null && d.getModelName().equals(model)) {
                                last[0] = d;
                            }
                        });
            } catch (AuthorizationException e) {
                // a principal that may edit rollouts but not read the controller's audit trail: show the rollout alone
                System.err.println("rollout: cannot read " + TopicCatalog.ROLLOUT_DECISIONS.name() + " (" + e.getMessage() + ")");
            }
            return Optional.ofNullable(last[0]);
        }

        /** Applies an edit; a refused one (bad weight, unknown version, concurrent writer) is one line on stderr. */
        int edit(Supplier<RolloutEdits.Edit> edit) throws Exception {
            try {
                return print(writer().apply(model, edit.get()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.err.println("rollout: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the current rollout.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            var r = target.writer().current(target.model);
            if (r.isEmpty()) {
                System.err.println("rollout: model " + target.model + " has no rollout yet (vqa rollout promote VERSION)");
                return 1;
            }
            return target.print(r.get(), target.lastDecision());
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true,
            description = "Send WEIGHT (0..1) of the videos to VERSION; weight 0 removes the candidate.")
    static final class Canary implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;
        @Parameters(index = "1", paramLabel = "WEIGHT")
        double weight;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutEdits.canary(version, weight));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make VERSION the stable version (on a model without a rollout: its first).")
    static final class Promote implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutEdits.promote(version));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Remove every candidate; with none, restore the stable version before the last promote.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return target.edit(RolloutEdits::rollback);
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Also score FRACTION (0..1) of the videos with VERSION, for comparison only (clip scores marked"
                    + " shadow, never the video's score); fraction 0 ends it.")
    static final class Shadow implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;
        @Parameters(index = "1", paramLabel = "FRACTION")
        double fraction;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutEdits.shadow(version, fraction));
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Roll VERSION out by plan: it gets the first step's share of the videos and shadow-scores",
                    "a share of the others' (paired evidence); metrics-service's rollout controller looks after every",
                    "paired video with sequential tests whose error rates hold over the whole plan: it steps the",
                    "candidate up once every gate passed and the step had its minimum videos and time, promotes it after",
                    "the last step, rolls it back at once on a failed gate, and pauses for an operator only when the",
                    "plan's maximum of paired videos is reached undecided. Check a plan's rates with vqa rollout simulate."})
    static final class Plan implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;
        @Option(names = "--steps", required = true, split = ",", paramLabel = "PERCENT",
                description = "Traffic per step in percent, increasing, e.g. 5,25,50,100; a first step 0 is shadow only.")
        List<Double> steps;
        @Option(names = "--min-videos", defaultValue = "" + RolloutPlans.DEFAULT_MIN_VIDEOS, paramLabel = "N",
                description = "Paired videos each step needs before it is passed (default ${DEFAULT-VALUE}).")
        int minVideos;
        @Option(names = "--min-seconds", defaultValue = "" + RolloutPlans.DEFAULT_MIN_SECONDS, paramLabel = "S",
                description = "Seconds each step lasts at least (default ${DEFAULT-VALUE}).")
        long minSeconds;
        @Option(names = "--shadow-fraction", defaultValue = "" + RolloutPlans.DEFAULT_SHADOW_FRACTION, paramLabel = "F",
                description = "Share of videos scored by both versions (default ${DEFAULT-VALUE}).")
        double shadowFraction;
        @Mixin
        RolloutErrorRateOptions rates;
        @Option(names = "--max-srcc-drop", defaultValue = "" + RolloutPlans.DEFAULT_MAX_SRCC_DROP, paramLabel = "D",
                description = "With MOS: a paired SRCC drop of at most D is acceptable, one of D plus --indifference is not;"
                        + " 0 turns the gate off (default ${DEFAULT-VALUE}).")
        double maxSrccDrop;
        @Option(names = "--min-labelled", defaultValue = "" + RolloutPlans.DEFAULT_MIN_LABELLED, paramLabel = "N",
                description = "Labelled paired videos before the SRCC difference is judged (default ${DEFAULT-VALUE}).")
        int minLabelled;
        @Option(names = "--max-latency-increase", defaultValue = "" + RolloutPlans.DEFAULT_MAX_LATENCY_INCREASE, paramLabel = "M",
                description = "Median end-to-end latency at most (1 + M) x the stable's (rolled back only when an anytime-valid"
                        + " interval is past it); 0 turns it off (default ${DEFAULT-VALUE}).")
        double maxLatencyIncrease;
        @Option(names = "--max-throughput-decrease", defaultValue = "" + RolloutPlans.DEFAULT_MAX_THROUGHPUT_DECREASE, paramLabel = "M",
                description = "Throughput (median model seconds per video, the stable's over the candidate's) at least 1 - M;"
                        + " 0 turns it off (default ${DEFAULT-VALUE}).")
        double maxThroughputDecrease;

        @Override
        public Integer call() throws Exception {
            RolloutPlans.Request request = rates.applyTo(RolloutPlans.request(version, steps)).minVideos(minVideos)
                    .minSeconds(minSeconds).shadowFraction(shadowFraction).maxSrccDrop(maxSrccDrop).minLabelled(minLabelled)
                    .maxLatencyIncrease(maxLatencyIncrease).maxThroughputDecrease(maxThroughputDecrease);
            int status = target.edit(() -> request.edit(System.currentTimeMillis()));
            if (status == 0 && !target.json) {
                RolloutGateJudge judge = new RolloutGateJudge(request.gates());
                System.out.printf(Locale.ROOT, "  promise over the whole plan: agreement >= %.3f rolled back with probability <= %.4f"
                                + " (alpha %.4f split over the gates in force); agreement <= %.3f promoted with probability <= %.4f;"
                                + " undecided after %d paired videos: paused (a fixed-sample test would need %d)%n",
                        rates.minAgreement, judge.gateAlpha(), rates.alpha, rates.minAgreement - rates.indifference, rates.beta,
                        judge.maxVideos(steps.size(), minVideos), judge.agreementTest().fixedSampleSize());
            }
            return status;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop the rollout controller from moving VERSION; its traffic stays as it is.")
    static final class Pause implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutPlans.pause(version, "paused by an operator"));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Hand VERSION back to the rollout controller at its current step (weight reset to the step's,"
                    + " the step's minimum counted again from now; the plan's evidence is kept and it may gather another"
                    + " maximum of paired videos).")
    static final class Resume implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutPlans.resume(version, System.currentTimeMillis()));
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "End VERSION's plan: it is taken out of traffic and shadow scoring.")
    static final class Abort implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() throws Exception {
            return target.edit(() -> RolloutPlans.abort(version, "aborted by an operator"));
        }
    }
}
