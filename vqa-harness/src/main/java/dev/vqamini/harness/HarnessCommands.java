package dev.vqamini.harness;

import dev.vqamini.cli.VqaCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The whole {@code vqa} command line, as the {@code ./vqa} launcher runs it: {@link VqaCommand} with its operator
 * commands, plus this module's demo, fault matrix, soak, synthetic-video and benchmark commands. {@code vqa --help}
 * lists the two groups apart.
 */
public final class HarnessCommands {

    /** The harness commands, in the order {@code vqa --help} lists them ({@code bench-worker} is hidden). */
    static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, FaultsCommand.class, SoakCommand.class, SynthCommand.class,
            BenchCommand.class, ModelBenchCommand.class, DecodeBenchCommand.class, RebalanceBenchCommand.class,
            BenchWorkerCommand.class);

    private HarnessCommands() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@link VqaCommand#commandLine()} with the harness commands added, and the help listing each group under its heading. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new VqaCommand());
        List<String> operator = List.copyOf(line.getSubcommands().keySet());
        for (Class<?> command : COMMANDS) {
            line.addSubcommand(command);
        }
        line.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> help.createHeading("Operator commands:%n"));
        line.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
            // one table, so both groups share its columns; the harness's heading goes above its first command
            String table = help.commandList(help.subcommands());
            String firstHarness = help.subcommands().entrySet().stream()
                    .filter(e -> !operator.contains(e.getKey()) && !e.getValue().commandSpec().usageMessage().hidden())
                    .map(e -> "\n  " + e.getKey() + " ").findFirst().orElse(null);
            int at = firstHarness == null ? -1 : table.indexOf(firstHarness);
            return at < 0 ? table : table.substring(0, at + 1)
                    + help.createHeading("%nTest and benchmark harness (module vqa-harness):%n") + table.substring(at + 1);
        });
        return VqaCommand.configure(line);
    }
}
