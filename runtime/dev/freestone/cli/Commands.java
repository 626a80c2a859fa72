package dev.freestone.cli;

import picocli.CommandLine;

/** The list of subcommands, in the order `freestone --help` shows them. */
final class Commands {
    private Commands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new CheckCommand());
        cli.addSubcommand(new CompileCommand());
        cli.addSubcommand(new GraphCommand());
        cli.addSubcommand(new RunCommand());
        cli.addSubcommand(new ResumeCommand());
        cli.addSubcommand(new SubmitCommand());
        cli.addSubcommand(new WatchCommand());
        cli.addSubcommand(new StopCommand());
        cli.addSubcommand(new TerminateCommand());
        cli.addSubcommand(new RetryCommand());
        cli.addSubcommand(new ResubmitCommand());
        cli.addSubcommand(new ScheduleCommand());
        cli.addSubcommand(new PublishCommand());
        cli.addSubcommand(new RunsCommand());
        cli.addSubcommand(new ShowCommand());
        cli.addSubcommand(new LogsCommand());
        cli.addSubcommand(new ArtifactsCommand());
        cli.addSubcommand(new MetricsCommand());
        cli.addSubcommand(new FmtCommand());
        cli.addSubcommand(new LspCommand());
        // `freestone run --version` printed nothing: a subcommand does not inherit the root's provider
        Version version = new Version();
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) {
                sub.getCommandSpec().versionProvider(version);
            }
        }
    }
}
