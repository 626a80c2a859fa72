package dev.freestone.cli;

import java.util.List;
import picocli.CommandLine;

/** The list of subcommands, in the order `freestone --help` shows them. */
final class Commands {
    private Commands() {
    }

    private static final List<Class<?>> ALL = List.of(
            CheckCommand.class, CompileCommand.class, GraphCommand.class, RunCommand.class, ResumeCommand.class,
            SubmitCommand.class, WatchCommand.class, StopCommand.class, TerminateCommand.class, RetryCommand.class,
            ResubmitCommand.class, ScheduleCommand.class, SchedulesCommand.class, PublishCommand.class, RunsCommand.class, ShowCommand.class,
            LogsCommand.class, ArtifactsCommand.class, CpCommand.class, LineageCommand.class, MetricsCommand.class, DiffCommand.class, UiCommand.class,
            DeleteCommand.class, GcCommand.class, FmtCommand.class, LspCommand.class, CompletionCommand.class);

    static void register(CommandLine cli) {
        register(cli, null);
    }

    /**
     * Registers every subcommand, or only the one named {@code only}: picocli reads each command's
     * annotations when it is added, which was a quarter of a second of every start; a command line
     * that names its command needs no other (help and suggestions get the whole tree).
     */
    static void register(CommandLine cli, String only) {
        for (Class<?> c : ALL) {
            if (only == null || name(c).equals(only)) {
                cli.addSubcommand(c);
            }
        }
        // `freestone run --version` printed nothing: a subcommand does not inherit the root's provider
        Version version = new Version();
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) {
                sub.getCommandSpec().versionProvider(version);
            }
        }
    }

    /** Whether {@code word} names a subcommand (aliases are not used). */
    static boolean isName(String word) {
        return ALL.stream().anyMatch(c -> name(c).equals(word));
    }

    private static String name(Class<?> c) {
        return c.getAnnotation(CommandLine.Command.class).name();
    }
}
