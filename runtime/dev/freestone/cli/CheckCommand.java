package dev.freestone.cli;

import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.diag.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check .pipe files and report every mistake with its place.",
            "Exit status: 0 clean (warnings allowed), 1 errors (or warnings with --strict), 2 usage error."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .pipe files to check.")
    List<Path> files;

    @Option(names = "--output", defaultValue = "text", description = "text (rendered, on stderr) or json (an array on stdout).")
    Cli.Format output;

    @Option(names = "--strict", description = "Warnings fail the check too.")
    boolean strict;

    @Option(names = "--allow", split = ",", paramLabel = "LINT", converter = LintName.class, description = "Silence these warnings (names or codes), e.g. unused-step.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never.")
    FrontEnd.Color color;

    @Override
    public Integer call() {
        CheckOptions options = new CheckOptions(new LinkedHashSet<>(allow), strict, null);
        List<Diagnostic> all = new ArrayList<>();
        for (Path f : files) {
            CheckResult r = FrontEnd.check(f, options);
            all.addAll(r.diagnostics());
        }
        List<Diagnostic> sorted = Diagnostic.sorted(all);
        FrontEnd.report(sorted, output, spec.commandLine().getOut(), spec.commandLine().getErr(), color);
        boolean failed = strict ? !sorted.isEmpty() : Diagnostic.hasErrors(sorted);
        if (!failed && output == Cli.Format.text) {
            spec.commandLine().getOut().println("ok: " + files.size() + (files.size() == 1 ? " file" : " files") + " checked"
                    + (sorted.isEmpty() ? "" : " (" + sorted.size() + (sorted.size() == 1 ? " warning)" : " warnings)")));
            spec.commandLine().getOut().flush();
        }
        return failed ? Main.FAILED : Main.OK;
    }
}
