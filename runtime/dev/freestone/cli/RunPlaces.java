package dev.freestone.cli;

import dev.freestone.check.Checked;
import dev.freestone.check.RunArguments;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.syntax.Ast;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where in the user's files a run's values come from, so that a mistake found when the run is prepared (a data file
 * that is not there, a secret set nowhere) points at that place as the checker's diagnostics do: a parameter given in
 * a {@code --params} file at its value there, one given with {@code --param} or by default at its declaration in the
 * {@code .pipe}, a secret at its {@code secret(...)}.
 */
final class RunPlaces {
    private final Checked program;
    private final Symbol.Pipeline pipeline;
    private final FrontEnd.RawParams raw;
    private final Path paramsFile;

    RunPlaces(Checked program, Symbol.Pipeline pipeline, FrontEnd.RawParams raw, Path paramsFile) {
        this.program = program;
        this.pipeline = pipeline;
        this.raw = raw;
        this.paramsFile = paramsFile;
    }

    /** A diagnostic found while the run is prepared: reported as the compiler's are, and the run is not started. */
    static final class Diagnosed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Diagnostic diagnostic;

        Diagnosed(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }

        Diagnostic diagnostic() {
            return diagnostic;
        }
    }

    /**
     * Where a parameter's file locations are read from: the folder they are relative to ({@code base}), that folder as
     * a help line says it, and the place to point at ({@code at}; null where there is none, a plain error then); {@code
     * written}: where in a {@code --params} file the value is, with its elements (null for a value written elsewhere).
     */
    record Origin(Path base, String said, Span at, RunArguments.Place written) {
        /** Locations written in a {@code .pipe} file of {@code dir} that no diagnostic points at (a called pipeline's defaults). */
        static Origin folder(Path dir) {
            return new Origin(dir, "the folder of the .pipe file that declares it", null, null);
        }

        /** The origin of a list's {@code i}th element: at the element where the --params file has it, else this one. */
        Origin item(int i) {
            if (written == null) {
                return this;
            }
            RunArguments.Place element = written.item(i);
            return new Origin(base, said, element.value(), element);
        }

        /** What stops the run with {@code code} at this origin's place (a plain error where it has none): to throw. */
        RuntimeException fail(Code code, String help, Object... args) {
            Diagnostic d = Diagnostic.of(code, at == null ? Span.synthetic("") : at, args).withHelp(help);
            if (at == null) {
                return new UserError(d.message(), help, Main.FAILED);
            }
            return new Diagnosed(d);
        }
    }

    /**
     * A value given on the command line: one from a {@code --params} file is relative to that file's folder (as in any
     * config file: the file and its data move together), one from {@code --param} to the current directory.
     */
    Origin given(String param) {
        RunArguments.Place place = paramsFile == null ? null : raw.places().get(param);
        if (place != null) {
            Path dir = paramsFile.toAbsolutePath().normalize().getParent();
            return new Origin(dir, "the folder of the --params file " + paramsFile, place.value(), place);
        }
        Path cwd = Path.of("").toAbsolutePath();
        return new Origin(cwd, "the current directory", declaration(param), null);
    }

    /** A parameter's default, written in the {@code .pipe} file {@code source}: relative to that file's folder. */
    Origin byDefault(String param, Path source) {
        Path dir = source.getParent();
        return new Origin(dir, "the folder of " + source.getFileName(), declaration(param), null);
    }

    /** The parameter's declaration in the pipeline's signature ({@code data: Dataset}). */
    private Span declaration(String param) {
        return pipeline.inputs().stream().filter(i -> i.name().equals(param)).findFirst()
                .map(i -> i.decl().span()).orElse(null);
    }

    /**
     * The {@code secret(...)} an unset secret is read by, as the variable it names: in the {@code with { env }} of the
     * step's call when that sets it (it wins over the component's), else in the {@code env} of the component the step
     * calls. The step is found by its path from the run's pipeline, through the pipelines it calls.
     */
    Optional<Span> secretCall(LocalEngine.UnsetSecret u) {
        Symbol.Pipeline in = pipeline;
        Symbol.Step step = null;
        for (String id : u.step().split("/")) {
            if (in == null) {
                return Optional.empty();
            }
            step = program.steps(in).stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
            if (step == null) {
                return Optional.empty();
            }
            in = step.callee() instanceof Symbol.Pipeline p ? p : null;
        }
        if (step == null) {
            return Optional.empty();
        }
        Optional<Span> atCall = envValue(step.bind().with(), u.env());
        if (atCall.isPresent() || !(step.callee() instanceof Symbol.Component c)) {
            return atCall;
        }
        return envValue(c.decl().options(), u.env());
    }

    /** The value that the {@code env} block among {@code options} gives the variable {@code name}. */
    private static Optional<Span> envValue(List<Ast.Option> options, String name) {
        for (Ast.Option o : options) {
            if (o instanceof Ast.BlockOption b && b.key().name().equals("env")) {
                for (Ast.Option e : b.options()) {
                    if (e instanceof Ast.ValueOption v && v.key().name().equals(name)) {
                        return Optional.of(v.value().span());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
