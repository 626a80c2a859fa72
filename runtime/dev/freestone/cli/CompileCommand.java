package dev.freestone.cli;

import dev.freestone.check.CheckOptions;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.ir.IrJson;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a pipeline to Argo Workflows YAML (or to the typed IR with --emit ir).",
            // a line of the description is a line of the help: a paragraph is one string, wrapped to the terminal
            "The manifest's size and pod estimate go to stderr; over the size budget it is an error."
                + " The estimate counts each step once (each branch of an if, a called pipeline's steps per call),"
                + " a loop over a literal list by its length, and a loop whose list is known only at run time"
                + " per item (\"about 4 pods + 2 per item of `for lr`\"); a called pipeline's loop is named with"
                + " its call (\"+ 1 per item of `for r` in `one`\")."})
final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .pipe file.")
    Path file;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "Write here instead of stdout (atomically; never over a file the compile reads).")
    Path out;

    @Option(names = "--emit", defaultValue = "argo", description = "argo (YAML) or ir (canonical JSON). Default: ${DEFAULT-VALUE}.")
    Emit emit;

    @Option(names = "--as", defaultValue = "workflow", converter = AsKind.class, description = "workflow, template"
            + " (WorkflowTemplate) or cron (CronWorkflow); Argo's kind names are taken too, in any case.")
    As as;

    @Option(names = "--schedule", paramLabel = "CRON", description = "Cron schedule(s), with --as cron only, e.g. \"0 3 * * *\".")
    List<String> schedules = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, description = "metadata.namespace of the manifests.")
    String namespace;

    @Option(names = "--pipeline", description = "Which pipeline, when the file has several.")
    String pipeline;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A value for a pipeline parameter (checked against its type); give each once; it wins over --params.")
    List<String> params = new ArrayList<>();

    @Option(names = "--params", paramLabel = "FILE", description = "Parameters from a YAML or JSON map (each name once).")
    Path paramsFile;

    @Mixin
    LoweringFlags lowering = new LoweringFlags();

    @Option(names = "--allow", split = ",", paramLabel = "LINT", converter = LintName.class, description = "Silence these warnings.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--strict", description = "Warnings fail the compile too.")
    boolean strict;

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never.")
    FrontEnd.Color color;

    enum Emit { argo, ir }

    enum As { workflow, template, cron }

    /** {@link As} by its name or by the kind of Argo object it writes ({@code WorkflowTemplate}), in any case. */
    static final class AsKind implements CommandLine.ITypeConverter<As> {
        @Override
        public As convert(String value) {
            for (As a : As.values()) {
                String kind = a == As.workflow ? "Workflow" : a == As.template ? "WorkflowTemplate" : "CronWorkflow";
                if (a.name().equalsIgnoreCase(value) || kind.equalsIgnoreCase(value)) {
                    return a;
                }
            }
            throw new CommandLine.TypeConversionException("`" + value + "` is none of workflow (a Workflow), template"
                    + " (a WorkflowTemplate) or cron (a CronWorkflow, with --schedule)");
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (as == As.cron && schedules.isEmpty()) {
            throw new UserError("--as cron needs --schedule", "e.g. --schedule \"0 3 * * *\"", Main.USAGE);
        }
        if (as != As.cron && !schedules.isEmpty()) {
            // only a CronWorkflow has a schedule: a Workflow or WorkflowTemplate would drop it without a word
            throw new UserError("--schedule is for --as cron", "add --as cron to compile a CronWorkflow, or leave out --schedule",
                    Main.USAGE);
        }
        LowerOptions.Kind kind = switch (as) {
            case workflow -> LowerOptions.Kind.WORKFLOW;
            case template -> LowerOptions.Kind.TEMPLATE;
            case cron -> LowerOptions.Kind.CRON;
        };
        // the flags first: their mistakes are usage errors, whatever the file holds
        LowerOptions flags = lowering.options(kind, schedules, namespace);
        refuseInputAsOutput(List.of(file.toString()));
        if (paramsFile != null) {
            refuseInputAsOutput(List.of(paramsFile.toString()));
        }
        FrontEnd.RawParams raw = FrontEnd.rawParams(params, paramsFile);
        // a WorkflowTemplate leaves a parameter without a default to whoever submits it, and the IR holds no values
        FrontEnd.Compiled c = FrontEnd.compile(file, new CheckOptions(new LinkedHashSet<>(allow), strict, pipeline), pipeline, raw,
                as == As.template || emit == Emit.ir);
        if (c.check() != null && c.check().program() != null) {
            refuseInputAsOutput(c.check().program().modules().stream().map(m -> m.source().path()).toList());
        }
        if (c.ir() == null || c.failed(strict)) {
            FrontEnd.report(c.diagnostics().stream().map(CompileCommand::workflowNeedsValue).toList(), Cli.Format.text, stdout,
                    err, color);
            return Main.FAILED;
        }
        List<Diagnostic> diagnostics = new ArrayList<>(c.diagnostics());
        String hash = IrJson.sha256(c.ir());
        if (emit == Emit.ir) {
            FrontEnd.report(diagnostics, Cli.Format.text, stdout, err, color);
            write(IrJson.pretty(c.ir()), stdout);
            err.println("ir " + c.ir().name() + ": sha256 " + hash);
            err.flush();
            return Main.OK;
        }
        LowerOptions options = LoweringFlags.forProgram(flags, c.ir(), hash);
        Lowered result = lowering.lowerAndValidate(c, FrontEnd.values(c.arguments()), options, diagnostics);
        List<Diagnostic> sorted = Diagnostic.sorted(diagnostics);
        FrontEnd.report(sorted, Cli.Format.text, stdout, err, color);
        if (strict ? !sorted.isEmpty() : Diagnostic.hasErrors(sorted)) {
            return Main.FAILED;
        }
        write(result.yaml(), stdout);
        err.println(String.format("compiled %s: %d object%s, %s, %s, ir sha256 %s",
                c.ir().name(), result.manifests().size(), result.manifests().size() == 1 ? "" : "s",
                size(result.sizeBytes()), pods(result), hash.substring(0, 12)));
        err.flush();
        return Main.OK;
    }

    /**
     * The pods a run creates: "about 4 pods", and "+ 2 per item of `for lr`" for each loop whose list
     * is known only at run time ("about 4 pods" alone counted such a loop's body once, as if it had one item);
     * a loop of a called pipeline is named with its call, "`for r` in `one`" (`a.b` when `a` calls the pipeline calling `b`).
     */
    static String pods(Lowered result) {
        long n = result.podEstimate();
        StringBuilder b = new StringBuilder("about ").append(n).append(n == 1 ? " pod" : " pods");
        for (Lowered.PerItem p : result.podsPerItem()) {
            b.append(" + ").append(p.pods()).append(" per item of `for ").append(p.loop()).append('`');
            if (!p.calls().isEmpty()) {
                b.append(" in `").append(String.join(".", p.calls())).append('`');
            }
        }
        return b.toString();
    }

    /**
     * A usage error when {@code -o} names one of the files the compile reads (the {@code .pipe} file, a
     * module it imports, the {@code --params} file), also through a link: the manifest would replace
     * the user's source (a slip such as {@code -o p.pipe}), and nothing could bring it back.
     */
    private void refuseInputAsOutput(List<String> inputs) {
        if (out == null) {
            return;
        }
        for (String input : inputs) {
            Path in = Path.of(input);
            try {
                if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
                    throw new UserError("-o " + out + " is " + input + ", which this compile reads: writing would replace it",
                            "choose another file for -o, e.g. -o " + stem(out) + ".yaml", Main.USAGE);
                }
            } catch (IOException e) {
                // a file that cannot be compared is not one the compile read
            }
        }
    }

    private static String stem(Path p) {
        String name = p.toString();
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') && dot > 0 ? name.substring(0, dot) : name;
    }

    private void write(String text, PrintWriter stdout) throws IOException {
        if (out == null) {
            stdout.print(text);
            stdout.flush();
            return;
        }
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new UserError(out + " is a directory", "name a file to write, e.g. -o " + out + "/pipeline.yaml",
                    Main.USAGE);
        }
        Path tmp = null;
        try {
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                // a device, a pipe or /dev/stdout is written into, as the shell's `>` does: a file renamed over
                // it would replace it (for root, -o /dev/null would leave a file where the device was)
                Files.writeString(target, text, StandardCharsets.UTF_8);
                return;
            }
            if (Files.isSymbolicLink(target) && Files.exists(target)) {
                // the link's file gets the manifest, and the link stays a link
                target = target.toRealPath();
                dir = target.getParent();
            }
            Files.createDirectories(dir);
            tmp = sibling(target, text);
            if (Files.exists(target)) {
                FmtCommand.copyPermissions(target, tmp);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null; // it is the manifest now
        } catch (IOException e) {
            // a path the user gave that cannot be written is their mistake to fix, not a crash
            String why = e instanceof java.nio.file.FileAlreadyExistsException f
                    ? f.getFile() + " is a file, not a directory"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : Cli.ioProblem(e);
            throw new UserError("cannot write " + out + ": " + why, "choose a writable path for -o");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error above is the one to report; the leftover is hidden and named after the target
                }
            }
        }
    }

    /**
     * A new hidden file beside {@code target} holding {@code text}, made as any new file is here (its mode
     * from the umask): a temporary file's {@code rw-------} would otherwise become the manifest's mode.
     */
    private static Path sibling(Path target, String text) throws IOException {
        while (true) {
            Path tmp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // half written (a full disk): leave nothing behind
                throw e;
            }
        }
    }

    static String size(long bytes) {
        return bytes < 1024 ? bytes + " B" : bytes < 1024 * 1024 ? String.format("%.1f KiB", bytes / 1024.0)
                : String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * E0602 says where a Workflow's value comes from, and the way to compile without one: KFP compiles a pipeline
     * without its arguments, which a WorkflowTemplate does here (a Workflow holds every parameter's value).
     */
    private static Diagnostic workflowNeedsValue(Diagnostic d) {
        return d.code() != Code.E0602 ? d : d.withHelp(d.help() + " or give it in a `--params` file: a Workflow holds the value"
                + " of every parameter (`--as template` leaves one without a default to whoever submits it)");
    }
}
