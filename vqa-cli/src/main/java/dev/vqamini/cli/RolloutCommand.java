package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vqa rollout}: shows and edits which model versions serve traffic (vqa.rollouts). */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Show or edit the rollout of a model on vqa.rollouts: the stable version and the candidates with",
                "their share of videos. Every edit reads the current rollout, changes it and writes it back; versions",
                "must be on vqa.models (vqa publish), weights in [0, 1] summing to at most 1."},
        subcommands = {RolloutCommand.Show.class, RolloutCommand.Canary.class, RolloutCommand.Promote.class,
                RolloutCommand.Rollback.class, RolloutCommand.Shadow.class})
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
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } else {
                double share = r.getCandidatesList().stream().mapToDouble(RolloutCandidate::getTrafficWeight).sum();
                System.out.printf("%s (revision %d): stable %s (%.0f %% of videos)%n", r.getModelName(), r.getRevision(),
                        r.getStableVersion(), 100 * (1 - share));
                for (RolloutCandidate x : r.getCandidatesList()) {
                    System.out.printf("  candidate %s (%.0f %%)%n", x.getModelVersion(), 100 * x.getTrafficWeight());
                }
            }
            return 0;
        }

        /** Applies an edit; a refused one (bad weight, unknown version, concurrent writer) is one line on stderr. */
        int edit(java.util.function.Supplier<RolloutEdits.Edit> edit) throws Exception {
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
            return target.print(r.get());
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
}
