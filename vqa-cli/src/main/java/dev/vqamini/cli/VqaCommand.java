package dev.vqamini.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vqa} command: one subcommand per job, each in its own class. */
@Command(name = "vqa", mixinStandardHelpOptions = true, version = "vqa 0.1.0",
        description = "Score, evaluate and prune DOVER-Mobile video quality models; run a local Kafka broker.",
        subcommands = {CommandLine.HelpCommand.class, ModelCommand.class, ImportWeightsCommand.class, ModelBenchCommand.class, PruneCommand.class, BenchCommand.class, BenchWorkerCommand.class, BrokerCommand.class, DemoCommand.class, CheckQueriesCommand.class,
                SynthCommand.class, QuantizeCommand.class, ViewsCommand.class, PublishCommand.class, RolloutCommand.class, ScoreCommand.class, EvalCommand.class, DecodeBenchCommand.class, SigningKeyCommand.class, TokenCommand.class, FaultsCommand.class, SoakCommand.class})
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

    /**
     * The command line with one-line error reporting (set VQA_DEBUG=1 for stack traces). Help is laid out 120
     * columns wide: the descriptions are written as lines of that length.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new VqaCommand()).setUsageHelpWidth(120).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + (e.getMessage() != null ? e.getMessage() : e));
            if (System.getenv("VQA_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }
}
