package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checked;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.check.RunArguments;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The compiler as the commands use it: read a file, check it, choose the pipeline, check the run
 * arguments, build the IR. Every user mistake on the way is a diagnostic (or a {@link UserError}
 * for things outside any file), reported the same way by every command.
 */
final class FrontEnd {
    private FrontEnd() {
    }

    /** Whether the bytes open with a UTF-16 byte order mark, as Windows editors save "Unicode" text. */
    private static boolean utf16(byte[] bytes) {
        return bytes.length >= 2 && ((bytes[0] == (byte) 0xff && bytes[1] == (byte) 0xfe)
                || (bytes[0] == (byte) 0xfe && bytes[1] == (byte) 0xff));
    }

    /** The help for a folder given as a file: the .pipe files in it, so that the next command is the right one. */
    private static String pipeFilesIn(Path dir) {
        List<String> names;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pipe")).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            names = List.of();
        }
        if (names.isEmpty()) {
            return "name a .pipe file";
        }
        String shown = String.join(", ", names.subList(0, Math.min(5, names.size())))
                + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
        return "name a .pipe file; it holds " + (names.size() == 1 ? "" : names.size() + ": ") + shown;
    }

    static Source read(Path file) {
        if (!Files.exists(file) && Files.isSymbolicLink(file)) {
            throw new UserError(file + " is a symbolic link that leads to no file (its target is missing, or links loop)",
                    "point the link at a .pipe file, or name the file itself", Main.USAGE);
        }
        if (!Files.exists(file)) {
            throw new UserError("no such file: " + file, "check the path; .pipe files are given relative to the current directory",
                    Main.USAGE);
        }
        if (Files.isDirectory(file)) {
            throw new UserError(file + " is a directory, not a .pipe file", pipeFilesIn(file), Main.USAGE);
        }
        if (!Files.isRegularFile(file)) {
            // a FIFO or a device would be read until someone writes to it or forever: the command would hang
            throw new UserError(file + " is not a regular file (a pipe, socket or device)", "name a .pipe file", Main.USAGE);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new UserError(file + (utf16(bytes) ? " is UTF-16 text (it starts with a UTF-16 byte order mark)"
                        : " is not UTF-8 text"), "save the file as UTF-8");
            }
            return new Source(file.toString(), text);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Cli.ioProblem(e), "check the file's permissions");
        }
    }

    static CheckResult check(Path file, CheckOptions options) {
        Source source = read(file);
        return notAPipeline(file, source, Checker.check(source, new ModuleLoader(), options));
    }

    /**
     * A file that is no {@code .pipe} (data.csv, model.py given by mistake) and does not parse is said to be no
     * pipeline (E0007), not told the syntax error of its first line; a {@code .pipe} file's syntax errors stay.
     */
    private static CheckResult notAPipeline(Path file, Source source, CheckResult r) {
        boolean syntax = r.diagnostics().stream().anyMatch(d -> d.code().name().startsWith("E00")
                && d.span() != null && d.span().source().path().equals(source.path()));
        if (file.toString().endsWith(".pipe") || !syntax) {
            return r;
        }
        return new CheckResult(r.program(), List.of(Diagnostic.of(Code.E0007, Span.of(source, 0, 0), file.getFileName())));
    }

    /**
     * Chooses the pipeline to compile or run: the one named, the only one, or the only one that no
     * other pipeline of the file calls.
     */
    static Symbol.Pipeline choosePipeline(Checked program, String name, List<Diagnostic> diagnostics) {
        List<Symbol.Pipeline> all = program.pipelines();
        Span where = Span.of(program.root().source(), 0, 0);
        if (name != null) {
            for (Symbol.Pipeline p : all) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            List<String> names = all.stream().map(Symbol.Pipeline::name).toList();
            diagnostics.add(Diagnostic.of(Code.E0605, where, "no pipeline `" + name + "` in " + program.root().source().path())
                    .withHelp(dev.freestone.diag.DidYouMean.help(name, names,
                            names.isEmpty() ? "declare `pipeline " + name + "(...) { ... }`" : "pipelines here: " + String.join(", ", names))));
            return null;
        }
        if (all.isEmpty()) {
            diagnostics.add(Diagnostic.of(Code.E0604, where, program.root().source().path()));
            return null;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        Set<Symbol.Pipeline> called = new HashSet<>();
        for (Symbol.Pipeline p : all) {
            for (Symbol.Step s : program.steps(p)) {
                if (s.callee() instanceof Symbol.Pipeline q) {
                    called.add(q);
                }
            }
        }
        List<Symbol.Pipeline> roots = all.stream().filter(p -> !called.contains(p)).toList();
        if (roots.size() == 1) {
            return roots.get(0);
        }
        diagnostics.add(Diagnostic.of(Code.E0605, where, program.root().source().path() + " declares several pipelines: "
                + String.join(", ", all.stream().map(Symbol.Pipeline::name).toList())));
        return null;
    }

    /**
     * {@code --param k=v} and {@code --params file.yaml} merged (the command line wins). One parameter
     * given twice with {@code --param} is a usage error: keeping one would silently drop the other.
     */
    static RawParams rawParams(List<String> params, Path paramsFile) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, RunArguments.Place> places = new HashMap<>();
        Map<String, String> given = new LinkedHashMap<>();
        if (paramsFile != null) {
            if (!Files.exists(paramsFile)) {
                throw new UserError("no such file: " + paramsFile + " (given with --params)", "check the path; it is"
                        + " relative to the current directory (" + Path.of("").toAbsolutePath() + ")", Main.USAGE);
            }
            if (!Files.isRegularFile(paramsFile)) {
                // a directory is refused by the reader; a FIFO would be read until someone writes to it
                throw new UserError("cannot read parameters from " + paramsFile + ": it is not a regular file",
                        "write a YAML or JSON map of parameter names to values in a file", Main.USAGE);
            }
            JsonNode doc;
            try {
                // a name twice in the file is refused as on the command line, not the last one kept
                doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
                        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
                        .readTree(paramsFile.toFile());
            } catch (IOException e) {
                throw new UserError("cannot read parameters from " + paramsFile + ": " + paramsProblem(e),
                        "write a YAML or JSON map of parameter names to values", Main.USAGE);
            }
            if (doc == null || doc.isMissingNode()) {
                throw new UserError(paramsFile + " holds nothing (it is empty, or only comments)", "write a YAML or JSON map of parameter names to values",
                        Main.USAGE);
            }
            if (!doc.isObject()) {
                throw new UserError(paramsFile + " is not a map of parameters",
                        "write a YAML or JSON map of parameter names to values", Main.USAGE);
            }
            doc.fields().forEachRemaining(e -> {
                if (holdsBytes(e.getValue())) {
                    // as text it would be quoted base64; bytes have no parameter type to go to
                    throw new UserError("cannot read parameters from " + paramsFile + ": the value of `" + e.getKey()
                            + "` is binary (`!!binary`)", "write the value as text: parameters are text or JSON, not bytes",
                            Main.USAGE);
                }
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            });
            places.putAll(ParamsPlaces.of(paramsFile));
        }
        if (params != null) {
            for (String p : params) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new UserError("--param needs NAME=VALUE, got `" + p + "`", "e.g. --param lr=0.1", Main.USAGE);
                }
                String name = p.substring(0, eq);
                String first = given.putIfAbsent(name, p);
                if (first != null) {
                    throw new UserError("parameter `" + name + "` is given twice: --param " + first + " and --param " + p,
                            "give each parameter once", Main.USAGE);
                }
                out.put(name, p.substring(eq + 1));
                places.remove(name);
            }
        }
        return new RawParams(out, places);
    }

    /** Run arguments as given, by name, and where those read from a {@code --params} file were written. */
    record RawParams(Map<String, String> values, Map<String, RunArguments.Place> places) {
        static final RawParams NONE = new RawParams(Map.of(), Map.of());
    }

    /** Whether a YAML value is, or holds anywhere inside, a {@code !!binary} value. */
    private static boolean holdsBytes(JsonNode value) {
        if (value.isBinary()) {
            return true;
        }
        for (JsonNode child : value) {
            if (holdsBytes(child)) {
                return true;
            }
        }
        return false;
    }

    /** Why a --params file does not read, in its terms: a key that is a list or map is named by its place. */
    private static String paramsProblem(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getOriginalMessage() != null
                && p.getOriginalMessage().startsWith("Expected a field name")) {
            // the parser's message quotes its own event objects (`<org.yaml.snakeyaml.events...>`)
            return "a key is not a name" + (p.getLocation() == null ? ""
                    : " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.CharConversionException || t instanceof CharacterCodingException) {
                return "it is not UTF-8 text"; // the decoder's words: `Invalid UTF-8 start byte 0xff (at char #1, byte #-1)`
            }
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
                // its message's first line is the context alone (`while parsing a flow sequence`): what is wrong, and
                // where, come after it
                return m.getProblem() + at(m.getProblemMark())
                        + (m.getContext() == null ? "" : " (" + m.getContext() + at(m.getContextMark()) + ")");
            }
        }
        return firstLine(e.getMessage());
    }

    /** " at line L, column C" of a YAML parser's mark (counted from 0), as an editor counts them. */
    private static String at(org.yaml.snakeyaml.error.Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        // a wrapped cause's message names its class (`java.io.CharConversionException: Invalid UTF-8 ...`)
        return (nl < 0 ? s : s.substring(0, nl)).replaceFirst("^(?:[a-z0-9_]+\\.)+[A-Za-z0-9_]*(?:Exception|Error): ", "");
    }

    /**
     * Lowering diagnostics carry a file name, a line and a column (the IR holds no source text):
     * anchored again in the checked sources, they print the source line and its caret like any other.
     */
    static List<Diagnostic> anchored(List<Diagnostic> diagnostics, dev.freestone.check.Checked checked) {
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Span s = d.span();
            if (s == null || !s.source().text().isEmpty()) {
                out.add(d);
                continue;
            }
            java.util.Optional<dev.freestone.diag.Source> source = checked.modules().stream()
                    .map(dev.freestone.check.Module::source)
                    .filter(m -> m.path().equals(s.source().path())
                            || java.util.Objects.equals(Path.of(m.path()).getFileName(), Path.of(s.source().path()).getFileName()))
                    .findFirst();
            if (source.isEmpty()) {
                out.add(d);
                continue;
            }
            int at = source.get().offsetOf(s.line(), s.column());
            out.add(new Diagnostic(d.code(), d.severity(), Span.of(source.get(), at, at), d.message(), d.help()));
        }
        return out;
    }

    /** A checked, chosen pipeline with its IR and run arguments, or the diagnostics that stopped it. */
    record Compiled(CheckResult check, Symbol.Pipeline pipeline, Ir.Program ir, RunArguments arguments,
                    List<Diagnostic> diagnostics) {
        boolean failed(boolean strict) {
            return strict ? !diagnostics.isEmpty() : Diagnostic.hasErrors(diagnostics);
        }
    }

    static Compiled compile(Path file, CheckOptions options, String pipelineName, RawParams rawParams) {
        return compile(file, options, pipelineName, rawParams, false);
    }

    /**
     * As above; with {@code allowMissing} a required parameter may stay without a value (E0602 is not
     * reported): a WorkflowTemplate leaves it to whoever submits it.
     */
    static Compiled compile(Path file, CheckOptions options, String pipelineName, RawParams rawParams,
                            boolean allowMissing) {
        CheckResult check = check(file, options);
        List<Diagnostic> diagnostics = new ArrayList<>(check.diagnostics());
        if (check.hasErrors()) {
            return new Compiled(check, null, null, null, Diagnostic.sorted(diagnostics));
        }
        Symbol.Pipeline pipeline = choosePipeline(check.program(), pipelineName, diagnostics);
        if (pipeline == null) {
            return new Compiled(check, null, null, null, Diagnostic.sorted(diagnostics));
        }
        RunArguments args = Checker.checkRunArguments(check.program(), pipeline.name(), rawParams.values(),
                rawParams.places());
        if (allowMissing) {
            args = new RunArguments(args.pipeline(), args.values(),
                    args.diagnostics().stream().filter(d -> d.code() != Code.E0602).toList());
        }
        diagnostics.addAll(args.diagnostics());
        if (args.hasErrors()) {
            return new Compiled(check, pipeline, null, args, Diagnostic.sorted(diagnostics));
        }
        Ir.Program ir = IrBuilder.build(check.program(), pipeline);
        return new Compiled(check, pipeline, ir, args, Diagnostic.sorted(diagnostics));
    }

    /** Prints diagnostics: rendered on stderr (colour on a terminal), or as JSON on stdout. */
    static void report(List<Diagnostic> diagnostics, Cli.Format format, PrintWriter out, PrintWriter err, Color color) {
        if (format == Cli.Format.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Diagnostic d : diagnostics) {
                rows.add(json(d));
            }
            out.println(Cli.json(rows));
            out.flush();
            return;
        }
        if (diagnostics.isEmpty()) {
            return;
        }
        err.print(new Renderer(color.enabled()).render(diagnostics));
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        long warnings = diagnostics.size() - errors;
        List<String> parts = new ArrayList<>();
        if (errors > 0) {
            parts.add(errors + (errors == 1 ? " error" : " errors"));
        }
        if (warnings > 0) {
            parts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
        }
        err.println(String.join(", ", parts) + " found");
        err.flush();
    }

    static Map<String, Object> json(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        Span s = d.span();
        m.put("code", d.code().name());
        m.put("severity", d.severity().label());
        m.put("file", s.path());
        m.put("line", s.line());
        m.put("column", s.column());
        m.put("endLine", s.endLine());
        m.put("endColumn", s.endColumn());
        m.put("message", d.message());
        m.put("help", d.help());
        if (d.code().lint() != null) {
            m.put("lint", d.code().lint());
        }
        return m;
    }

    /**
     * {@code --color}: auto (the stream written to is a terminal, and no NO_COLOR), always, never. The stream is
     * asked, not {@code System.console()}, which in Java 17 also needs standard input and output to be terminals:
     * {@code check x.pipe 2> errors.txt} wrote colour codes into the file, {@code check x.pipe < /dev/null} none
     * onto the terminal.
     */
    enum Color {
        auto, always, never;

        /** For diagnostics, which go to standard error. */
        boolean enabled() {
            if (this == always) {
                return true;
            }
            if (this == never) {
                return false;
            }
            return StandardOut.errorIsTerminal() && System.getenv("NO_COLOR") == null
                    && !"dumb".equals(System.getenv("TERM"));
        }
    }

    static Map<String, JsonNode> values(RunArguments args) {
        return args == null ? Map.of() : new TreeMap<>(args.values());
    }

}
