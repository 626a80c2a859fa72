package dev.freestone.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code freestone} command. Exit codes: 0 ok, 1 the pipeline or the check failed, 2 usage error,
 * 3 an internal error (a bug in Freestone: the only case that may print a stack trace, and only with
 * {@code FREESTONE_DEBUG=1}).
 */
@Command(name = "freestone",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A typed language and toolchain for machine-learning pipelines on Kubeflow.",
        subcommands = {CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true)
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** Commands of Argo's and KFP's CLIs typed here, and ours that do their work; picocli's spelling suggestion for `status` was `stop`. */
    private static final java.util.Map<String, String> OTHER_TOOLS = java.util.Map.of(
            "status", "show", "get", "show", "describe", "show", "list", "runs", "ls", "runs");

    private static java.util.Optional<String> otherToolsWord(CommandLine.UnmatchedArgumentException u) {
        return u.getCommandLine().getParent() == null && !u.getUnmatched().isEmpty()
                ? java.util.Optional.ofNullable(OTHER_TOOLS.get(u.getUnmatched().get(0))) : java.util.Optional.empty();
    }

    public static void main(String[] args) {
        fastProcessStarts();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Java 17 starts processes through a helper binary by default ({@code posix_spawn} of
     * {@code jspawnhelper}, which then execs the program): two program loads per step. {@code vfork}
     * then exec loads one, and halves what a trivial step costs the local engine (measured in
     * docs/performance.md). Later JDKs deprecate the mechanism, so it is chosen only up to 21, and
     * never over a choice the user made.
     */
    static void fastProcessStarts() {
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null && Runtime.version().feature() <= 21
                && System.getProperty("os.name", "").startsWith("Linux")) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
    }

    /** An unmatched argument that is an option of the command, written after {@code --} (where options end). */
    private static java.util.Optional<String> optionAfterEnd(CommandLine.ParameterException ex, String[] args) {
        int end = java.util.Arrays.asList(args).indexOf("--");
        if (end < 0 || !(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return java.util.Optional.empty();
        }
        java.util.List<String> after = java.util.Arrays.asList(args).subList(end + 1, args.length);
        return u.getUnmatched().stream()
                .filter(arg -> after.contains(arg) && ex.getCommandLine().getCommandSpec().findOption(arg.split("=", 2)[0]) != null)
                .findFirst();
    }

    /**
     * An unmatched argument that is the value of a {@code --param NAME} written apart ({@code --param lr 0.1}, as
     * {@code kfp run create} and argparse take it): the NAME=VALUE the user meant.
     */
    private static java.util.Optional<String> paramApart(CommandLine.ParameterException ex, String[] args) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)
                || ex.getCommandLine().getCommandSpec().findOption("--param") == null) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i + 2 < args.length; i++) {
            if ((args[i].equals("--param") || args[i].equals("-p")) && !args[i + 1].contains("=")
                    && u.getUnmatched().contains(args[i + 2])) {
                return java.util.Optional.of(args[i + 1] + "=" + args[i + 2]);
            }
        }
        return java.util.Optional.empty();
    }

    /** With a missing positional: an argument that looks like an option but is none of the command's. */
    private static java.util.Optional<String> dashedPositional(CommandLine.ParameterException ex, String[] args) {
        if (!(ex instanceof CommandLine.MissingParameterException) || java.util.Arrays.asList(args).contains("--")) {
            return java.util.Optional.empty();
        }
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        return java.util.Arrays.stream(args)
                // `-j2` and `-5` are an option with its value and a number, not a name
                .filter(arg -> arg.length() > 2 && arg.startsWith("-") && !arg.startsWith("--")
                        && spec.findOption(arg.split("=", 2)[0]) == null && spec.findOption(arg.substring(0, 2)) == null
                        && !arg.matches("-[0-9].*"))
                .findFirst();
    }

    /** Runs the CLI in-process with the given streams (tests use this with real files). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String only = args.length > 0 && Commands.isName(args[0]) ? args[0] : null;
        CommandLine cli = commandLine(out, err, only);
        return cli.execute(args);
    }

    /**
     * Runs the CLI in-process with {@code env} in place of the process environment (FREESTONE_HOME,
     * KUBECONFIG, ARGO_TOKEN, ...): for tests and embedders, which cannot change their own environment.
     * Not the launcher: one serves the whole JVM, picked by the system property {@code freestone.launcher}
     * or the process's {@code FREESTONE_LAUNCHER}; a different {@code FREESTONE_LAUNCHER} in {@code env} is refused.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        return Cli.withEnv(env, () -> run(args, out, err));
    }

    /** The command tree with its usage help, for the generated CLI reference and for tests. */
    public static CommandLine commandLine() {
        return commandLine(System.out, System.err);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /** The command tree; with {@code only}, the root with just that subcommand (it is all a command line naming it needs). */
    private static CommandLine commandLine(PrintStream out, PrintStream err, String only) {
        CommandLine cli = new CommandLine(new Main());
        Commands.register(cli, only);
        cli.setOut(new StandardOut(out));
        cli.setErr(new PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? USAGE : INTERNAL);
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            java.util.Optional<String> afterEnd = optionAfterEnd(ex, a);
            if (afterEnd.isPresent()) {
                // picocli calls it an unknown option and suggests the very same name
                c.getErr().println("error: unexpected argument `" + afterEnd.get() + "`: after `--` it is not read as an option");
                c.getErr().println("  = help: put options before `--`; see `" + c.getCommandSpec().qualifiedName() + " --help`");
                c.getErr().flush();
                return USAGE;
            }
            java.util.Optional<String> apart = paramApart(ex, a);
            if (apart.isPresent()) {
                c.getErr().println("error: --param takes NAME=VALUE as one argument, got `" + apart.get().replaceFirst("=", "` and `") + "`");
                c.getErr().println("  = help: write `--param " + RerunLine.quoted(apart.get()) + "`");
                c.getErr().flush();
                return USAGE;
            }
            java.util.Optional<String> dashed = dashedPositional(ex, a);
            if (dashed.isPresent()) {
                // picocli took the name for an option and then missed the file or run it was
                String name = c.getCommandSpec().qualifiedName();
                c.getErr().println("error: " + ex.getMessage() + " (`" + dashed.get() + "` was read as an option)");
                c.getErr().println("  = help: a name that starts with `-` goes after `--`, e.g. `" + name + " -- "
                        + dashed.get() + "`");
                c.getErr().flush();
                return USAGE;
            }
            // picocli starts some of its messages (options that exclude each other) with its own "Error: "
            c.getErr().println("error: " + String.valueOf(ex.getMessage()).replaceFirst("^Error: ", ""));
            // the help line every other mistake gets, in place of picocli's own "Did you mean" and "try"
            java.util.List<String> close = ex instanceof CommandLine.UnmatchedArgumentException u
                    ? otherToolsWord(u).map(java.util.List::of).orElse(u.getSuggestions()) : java.util.List.of();
            c.getErr().println("  = help: " + (close.isEmpty()
                    ? "see `" + c.getCommandSpec().qualifiedName() + " --help`"
                    : "did you mean " + String.join(" or ", close.stream().map(n -> "`" + n + "`").toList()) + "?"));
            c.getErr().flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof dev.freestone.runtime.argo.ArgoException ae) {
                // the backend's messages never hold a token (it redacts them), so they are printed as they are
                c.getErr().println("error: " + StandardOut.visible(ae.error().message()));
                c.getErr().println("  = help: " + StandardOut.visible(ae.error().help()));
                c.getErr().flush();
                return FAILED;
            }
            if (ex instanceof dev.freestone.runtime.store.StoreException se) {
                // meant for the user, as when the store is opened (Cli.openStore)
                c.getErr().println("error: " + se.getMessage());
                c.getErr().println("  = help: " + se.help().orElse("set FREESTONE_HOME to another directory (default ~/.freestone)"));
                c.getErr().flush();
                return FAILED;
            }
            if (ex instanceof UserError ue) {
                // a message may quote what a step wrote (an artifact's name, an output's value)
                c.getErr().println("error: " + StandardOut.visible(ue.getMessage()));
                if (ue.help() != null) {
                    c.getErr().println("  = help: " + StandardOut.visible(ue.help()));
                }
                c.getErr().flush();
                return ue.exitCode();
            }
            c.getErr().println("error: internal error in freestone: " + ex);
            if ("1".equals(System.getenv("FREESTONE_DEBUG"))) {
                StringWriter trace = new StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                c.getErr().print(trace);
            } else {
                c.getErr().println("  = help: this is a bug; rerun with FREESTONE_DEBUG=1 and report the output");
            }
            c.getErr().flush();
            return INTERNAL;
        });
        return cli;
    }
}
