package dev.vqamini.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vqa} command: one subcommand per job, each in its own class. These are the operator commands; the
 * {@code ./vqa} launcher runs {@code dev.vqamini.harness.HarnessCommands}, which adds the demo, fault matrix, soak and
 * benchmark commands of module vqa-harness to this command line.
 */
@Command(name = "vqa", mixinStandardHelpOptions = true, version = "vqa 0.1.0",
        description = "Score, evaluate and prune DOVER-Mobile video quality models; run a local Kafka broker.",
        subcommands = {CommandLine.HelpCommand.class, ModelCommand.class, ImportWeightsCommand.class, PruneCommand.class, LatencyTableCommand.class, BrokerCommand.class, CheckQueriesCommand.class,
                QuantizeCommand.class, ViewsCommand.class, PublishCommand.class, RolloutCommand.class, ScoreCommand.class, EvalCommand.class, SigningKeyCommand.class, TokenCommand.class})
public final class VqaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The repository root: {@code -Dvqa.root} (set by the launcher), else the working folder. */
    public static Path root() {
        return Path.of(System.getProperty("vqa.root", ".")).toAbsolutePath().normalize();
    }

    /**
     * The command line with one-line error reporting (set VQA_DEBUG=1 for stack traces). Help is laid out 120
     * columns wide: the descriptions are written as lines of that length.
     */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new VqaCommand()));
    }

    /**
     * Gives {@code line} (this command, with whatever subcommands were added to it) the help width and error reporting
     * of {@link #commandLine()}; call it after the last subcommand is added, as picocli applies these to the
     * subcommands present.
     */
    public static CommandLine configure(CommandLine line) {
        return line.setUsageHelpWidth(120).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + (e.getMessage() != null ? e.getMessage() : e));
            if (System.getenv("VQA_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }
}
