package dev.freestone.cli;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.fmt.Formatter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Format .pipe files in place (one canonical layout), or with --check list those that would change.",
            "A file with syntax errors is reported and left untouched.",
            "Exit status: 0 ok, 1 a file has syntax errors (or would change, with --check), 2 usage error."})
final class FmtCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .pipe files to format.")
    List<Path> files;

    @Option(names = "--check", description = "Change nothing: list the files that are not formatted and exit 1 if there are any.")
    boolean check;

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never (for syntax errors).")
    FrontEnd.Color color;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // read everything first: a missing file is a usage error and nothing is written
        List<Source> sources = new ArrayList<>();
        for (Path f : files) {
            sources.add(FrontEnd.read(f));
        }
        List<Diagnostic> syntaxErrors = new ArrayList<>();
        List<Path> changed = new ArrayList<>();
        boolean internal = false;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Formatter.Result r;
            try {
                r = Formatter.formatSource(sources.get(i));
            } catch (IllegalStateException e) {
                err.println("error: " + e.getMessage());
                internal = true;
                continue;
            }
            if (!r.ok()) {
                syntaxErrors.addAll(r.diagnostics());
                continue;
            }
            if (!r.changed()) {
                continue;
            }
            changed.add(file);
            if (!check) {
                replace(file, r.formatted());
            }
        }
        FrontEnd.report(Diagnostic.sorted(syntaxErrors), Cli.Format.text, out, err, color);
        if (check) {
            changed.forEach(f -> out.println(f));
            if (!changed.isEmpty()) {
                err.println(changed.size() + (changed.size() == 1 ? " file is" : " files are")
                        + " not formatted; run `freestone fmt` on " + (changed.size() == 1 ? "it" : "them"));
            }
        } else {
            out.println("formatted " + changed.size() + " of " + files.size() + (files.size() == 1 ? " file" : " files")
                    + (syntaxErrors.isEmpty() ? "" : "; files with syntax errors were left as they are"));
        }
        out.flush();
        err.flush();
        if (internal) {
            return Main.INTERNAL;
        }
        return !syntaxErrors.isEmpty() || (check && !changed.isEmpty()) ? Main.FAILED : Main.OK;
    }

    /**
     * Replaces the file's text atomically: the new text goes to a temporary file beside the real file
     * (the target of a symbolic link), which is then renamed over it, so that a crash or a full disk
     * leaves either the old file or the new one, never half of one.
     */
    static void replace(Path file, String text) {
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Cli.ioProblem(e), "check the file's permissions");
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".fmt");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            copyPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + Cli.ioProblem(e) + " (the file was left as it was)",
                    "check that the file and its directory are writable");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and named after the file; nothing else to do
                }
            }
        }
    }

    static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        // elsewhere (not a POSIX file system) the new file keeps the default permissions
        if (view != null) {
            Files.setPosixFilePermissions(to, view.readAttributes().permissions());
        }
    }
}
