package dev.vqamini.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vqa} command: one subcommand per job, each in its own class. */
@Command(name = "vqa", mixinStandardHelpOptions = true, version = "vqa 0.1.0",
        description = "Score, evaluate and prune DOVER-Mobile video quality models; run a local Kafka broker.",
        subcommands = {CommandLine.HelpCommand.class})
public final class VqaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VqaCommand()).execute(args));
    }
}
