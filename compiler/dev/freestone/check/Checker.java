package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Severity;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checker's entry point: loads the modules, declares their types and signatures, validates
 * component settings, checks every pipeline body, detects recursion between pipelines and applies
 * lint suppressions. It reports every problem it finds, never only the first, and never throws on
 * input the parser produced (however broken).
 */
public final class Checker {
    private Checker() {
    }

    /**
     * Loads {@code root} and what it imports through {@code loader}, checks everything and returns the
     * checked program with all diagnostics (parse diagnostics included), sorted, de-duplicated, with
     * suppressions applied.
     */
    public static CheckResult check(Source root, ModuleLoader loader, CheckOptions options) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        ModuleLoader.Loaded loaded = loader.load(root, diagnostics);
        Checked checked = new Checked(loaded.root());
        checked.modules.add(loaded.root());
        for (Module m : loaded.modules()) {
            if (m != loaded.root()) {
                checked.modules.add(m);
            }
        }
        Ctx ctx = new Ctx(checked, diagnostics, loaded.targets());
        for (Module m : loaded.modules()) {
            new Declarations(ctx, m).declare();
        }
        List<Object[]> pipelineCalls = new ArrayList<>();
        for (Module m : loaded.modules()) {
            checkModule(ctx, m, pipelineCalls);
        }
        recursion(ctx, pipelineCalls);
        heldMutexes(ctx);
        calledTimeouts(ctx, pipelineCalls);
        if (options.pipeline() != null && checked.pipeline(options.pipeline()).isEmpty()) {
            List<String> names = checked.pipelines().stream().map(Symbol.Pipeline::name).toList();
            diagnostics.add(Diagnostic.of(Code.E0605, Span.synthetic("--pipeline " + options.pipeline()),
                            "no pipeline `" + options.pipeline() + "` in " + root.path())
                    .withHelp(DidYouMean.help(options.pipeline(), names, names.isEmpty()
                            ? "the file declares no pipeline" : "its pipelines are: " + Ctx.list(names))));
        }
        List<Diagnostic> settled = SyntaxCascades.settle(diagnostics, checked.modules);
        return new CheckResult(checked, Diagnostic.sorted(suppress(settled, checked, options)));
    }

    /** The builtin functions a call can name ({@code len str int float json oneof secret}), for completion. */
    public static List<String> builtinFunctions() {
        return Exprs.BUILTINS;
    }

    /** The settings a component's body may hold ({@code image}, {@code command}, ...), for completion. */
    public static List<String> componentSettings() {
        return Settings.COMPONENT_KEYS;
    }

    /** The settings a call's {@code with { ... }} may hold ({@code retry}, {@code mutex}, ...), for completion. */
    public static List<String> callSettings() {
        return Settings.OVERRIDE_KEYS;
    }

    /** The settings a pipeline's own {@code with { ... }} may hold ({@code mutex}, {@code timeout}), for completion. */
    public static List<String> pipelineSettings() {
        return Settings.PIPELINE_KEYS;
    }

    /** The fields of {@code run} and their types ({@code run.id}, ...), for completion. */
    public static Map<String, Type> runFields() {
        return Exprs.RUN.fields();
    }

    /** Whether {@code run.<field>} is known only in {@code finally} ({@code status}, {@code failures}). */
    public static boolean exitOnly(String field) {
        return Exprs.EXIT_ONLY.contains(field);
    }

    /**
     * The default of a pipeline parameter of an artifact type as where its file is: a path relative to the .pipe
     * file, or a URL (http, https, s3, gs); for a list of artifacts, a list of such locations in order. Null when
     * {@code d} is not such a default (it is then checked as any other constant).
     */
    private static JsonNode fileLocations(Ast.Expr d, Type type) {
        if (Type.isArtifact(type) && d instanceof Ast.StringLit str && str.constant() != null) {
            return JsonNodeFactory.instance.textNode(str.constant());
        }
        if (Type.strip(type) instanceof Type.ListOf l && Type.isArtifact(l.element())
                && d instanceof Ast.ListLit list && !list.elements().isEmpty()
                && list.elements().stream().allMatch(e -> e instanceof Ast.StringLit sl && sl.constant() != null)) {
            ArrayNode where = JsonNodeFactory.instance.arrayNode();
            list.elements().forEach(e -> where.add(((Ast.StringLit) e).constant()));
            return where;
        }
        return null;
    }

    private static void checkModule(Ctx ctx, Module m, List<Object[]> pipelineCalls) {
        Settings settings = new Settings(ctx, m);
        Exprs defaults = new Exprs(ctx, m, Exprs.NOTHING, "a default is a constant: it cannot read parameters or steps");
        Constants constants = new Constants(ctx.checked);
        List<Symbol> checkedHere = new ArrayList<>(m.members.values());
        checkedHere.addAll(m.duplicates); // a duplicate's body is checked too (its mistakes, the imports it uses)
        for (Symbol s : checkedHere) {
            if (s instanceof Symbol.Callable k) {
                for (Symbol.Input in : k.inputs()) {
                    Ast.Expr d = in.decl().defaultValue();
                    JsonNode where = d != null && k instanceof Symbol.Pipeline ? fileLocations(d, in.type()) : null;
                    if (where != null) {
                        ctx.checked.constants.put(d, where);
                    } else if (d != null && in.type() instanceof Type.Volume) {
                        defaults.expectVolume(d);
                        if (d instanceof Ast.Call call && call.args().size() > 1) {
                            // a parameter's claim is mounted read-write: its default could not say otherwise
                            ctx.report(Diagnostic.of(Code.E0219, call.args().get(1).span(), "read-only as a default",
                                    "mount it read-only where it is used: `pvc(\"claim-name\", read_only = true)` at the call"));
                        }
                        JsonNode v = constants.eval(d);
                        if (v != null) {
                            ctx.checked.constants.put(d, v);
                        }
                    } else if (d != null) {
                        defaults.expect(d, in.type(), false);
                        JsonNode v = constants.eval(d);
                        if (v != null) {
                            ctx.checked.constants.put(d, Constants.coerce(v, in.type()));
                        }
                    }
                }
            }
            if (s instanceof Symbol.Component c) {
                Set<String> used = new HashSet<>();
                ctx.checked.settings.put(c, settings.component(c, used));
                for (Symbol.Input in : c.inputs()) {
                    if (!used.contains(in.name()) && !in.name().startsWith("_")) {
                        ctx.warn(m, Diagnostic.of(Code.W0002, in.span(), in.name())
                                .withHelp("name it in `command`, `args` or `env`, remove it, or prefix its name with `_`"));
                    }
                }
            } else if (s instanceof Symbol.Pipeline p) {
                Settings.PipelineSettings own = settings.pipeline(p.decl().settings());
                if (!own.mutexes().isEmpty()) {
                    ctx.checked.pipelineMutexes.put(p, own.mutexes());
                }
                if (own.timeoutSeconds() != null) {
                    ctx.checked.pipelineTimeouts.put(p, own.timeoutSeconds());
                }
                Bodies b = new Bodies(ctx, m, p, settings);
                b.check();
                pipelineCalls.addAll(b.pipelineCalls);
            }
        }
        for (Symbol.ImportAlias alias : m.imports.values()) {
            if (alias.target() != null && !ctx.usedAliases.contains(alias) && !alias.name().startsWith("_")) {
                ctx.warn(m, Diagnostic.of(Code.W0003, alias.decl().span(), alias.name()));
            }
        }
    }

    /**
     * E0512: a step that waits for a mutex a pipeline around it holds (its own, or one calling it) would wait forever:
     * Argo's holder of a pipeline's lock is the Workflow or the pipeline's node, never the step's. Said once, at the
     * step, with the nearest pipeline holding it.
     */
    private static void heldMutexes(Ctx ctx) {
        for (Module m : ctx.checked.modules) {
            for (Symbol.Pipeline p : m.pipelines()) {
                List<String> own = ctx.checked.mutexesOf(p);
                if (own.isEmpty()) {
                    continue;
                }
                for (Symbol.Step step : ctx.checked.steps.getOrDefault(p, List.of())) {
                    Set<String> waits = waitsFor(ctx, step, new HashSet<>());
                    own.stream().filter(waits::contains).findFirst().ifPresent(name -> ctx.report(Diagnostic.of(Code.E0512,
                            ((Ast.Call) step.bind().value()).callee().span(), step.id(), name, p.name(), name)));
                }
            }
        }
    }

    /**
     * The mutexes step {@code s} waits for: its own, or, calling a pipeline, that pipeline's and those of every step
     * inside it ({@code seen}: the pipelines on the way, as a recursion is E0303's to report).
     */
    private static Set<String> waitsFor(Ctx ctx, Symbol.Step s, Set<Symbol.Pipeline> seen) {
        Set<String> out = new HashSet<>();
        if (s.callee() instanceof Symbol.Component) {
            out.addAll(ctx.checked.mutexesOf(s));
        } else if (s.callee() instanceof Symbol.Pipeline q && seen.add(q)) {
            out.addAll(ctx.checked.mutexesOf(s));
            for (Symbol.Step inner : ctx.checked.steps.getOrDefault(q, List.of())) {
                out.addAll(waitsFor(ctx, inner, seen));
            }
        }
        return out;
    }

    /**
     * E0513: a call of a pipeline that has its own {@code timeout}. That deadline is the run's (Argo's Workflow
     * {@code activeDeadlineSeconds}); Argo refuses one on a DAG template, so no backend bounds a called pipeline, and
     * it is said rather than dropped, as E0509 says of a call's {@code with { timeout }}.
     */
    private static void calledTimeouts(Ctx ctx, List<Object[]> calls) {
        for (Object[] c : calls) {
            Symbol.Pipeline callee = (Symbol.Pipeline) c[1];
            Long timeout = ctx.checked.timeoutOf(callee);
            if (timeout != null) {
                ctx.report(Diagnostic.of(Code.E0513, ((Ast.Call) c[2]).callee().span(), callee.name(), callee.name()));
            }
        }
    }

    /** E0303: pipelines that call themselves, directly or through others. */
    private static void recursion(Ctx ctx, List<Object[]> calls) {
        List<Symbol.Pipeline> all = new ArrayList<>();
        Map<Symbol.Pipeline, Integer> index = new IdentityHashMap<>();
        for (Module m : ctx.checked.modules) {
            for (Symbol.Pipeline p : m.pipelines()) {
                index.put(p, all.size());
                all.add(p);
            }
        }
        List<List<Integer>> adj = new ArrayList<>();
        Map<Long, Ast.Call> callAt = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            adj.add(new ArrayList<>());
        }
        Set<Integer> self = new HashSet<>();
        for (Object[] c : calls) {
            Integer from = index.get((Symbol.Pipeline) c[0]);
            Integer to = index.get((Symbol.Pipeline) c[1]);
            if (from == null || to == null) {
                continue;
            }
            adj.get(from).add(to);
            callAt.putIfAbsent(((long) from << 32) | to, (Ast.Call) c[2]);
            if (from.equals(to)) {
                self.add(from);
            }
        }
        List<int[]> edges = new ArrayList<>();
        for (List<Integer> a : adj) {
            edges.add(a.stream().mapToInt(Integer::intValue).distinct().toArray());
        }
        for (int[] comp : Graphs.components(all.size(), edges)) {
            if (comp.length == 1 && !self.contains(comp[0])) {
                continue;
            }
            int first = comp[0];
            List<Integer> path = comp.length == 1 ? List.of(first, first) : Graphs.cycleThrough(first, comp, edges);
            List<String> names = new ArrayList<>();
            for (int i : path) {
                names.add(all.get(i).name());
            }
            Ast.Call call = callAt.get(((long) path.get(0) << 32) | path.get(1));
            ctx.report(Diagnostic.of(Code.E0303, call.callee().span(), all.get(first).name(), String.join(" -> ", names)));
        }
    }

    /**
     * Drops warnings silenced by {@code // freestone:allow NAME} on their line or the line above, or by
     * {@link CheckOptions#allowed}. Errors are never silenced.
     */
    private static List<Diagnostic> suppress(List<Diagnostic> diagnostics, Checked checked, CheckOptions options) {
        Set<String> allowed = new HashSet<>();
        options.allowed().forEach(a -> allowed.add(a.toLowerCase(Locale.ROOT)));
        Map<Source, Map<Integer, Set<String>>> byFile = new IdentityHashMap<>();
        List<Diagnostic> all = new ArrayList<>(diagnostics);
        for (Module m : checked.modules) {
            Map<Integer, Set<String>> lines = new HashMap<>();
            for (Ast.Comment c : m.file().comments()) {
                int at = c.text().indexOf("freestone:allow");
                if (at < 0) {
                    continue;
                }
                String rest = c.text().substring(at + "freestone:allow".length());
                if (rest.endsWith("*/")) {
                    rest = rest.substring(0, rest.length() - 2);
                }
                // a comment alone on its line also covers the next line; a trailing one only its own
                String before = m.source().line(c.span().line()).substring(0, Math.max(0, c.span().column() - 1));
                List<Integer> covered = before.isBlank() ? List.of(c.span().line(), c.span().line() + 1)
                        : List.of(c.span().line());
                int restStart = c.span().start() + at + "freestone:allow".length();
                Matcher word = ALLOW_NAME.matcher(rest);
                while (word.find()) {
                    String name = word.group().toLowerCase(Locale.ROOT);
                    // a misspelt name would silence nothing, silently: a warning of its own (itself silenceable)
                    if (!LINTS.contains(name)) {
                        all.add(unknownLint(word.group(),
                                Span.of(m.source(), restStart + word.start(), restStart + word.end())));
                    }
                    for (int line : covered) {
                        lines.computeIfAbsent(line, k -> new HashSet<>()).add(name);
                    }
                }
            }
            byFile.put(m.source(), lines);
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : all) {
            if (d.severity() == Severity.WARNING && silenced(d, allowed, byFile.get(d.span().source()))) {
                continue;
            }
            out.add(d);
        }
        return out;
    }

    private static final Pattern ALLOW_NAME = Pattern.compile("[^,\\s]+");

    /** What {@code freestone:allow} accepts, lower case: every warning's lint name and code. */
    private static final Set<String> LINTS = lintNames(true);

    private static Set<String> lintNames(boolean withCodes) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Code c : Code.values()) {
            if (c.lint() != null) {
                names.add(c.lint());
                if (withCodes) {
                    names.add(c.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static Diagnostic unknownLint(String name, Span span) {
        Set<String> lints = lintNames(false);
        Diagnostic d = Diagnostic.of(Code.W0007, span, name, String.join(", ", lints));
        return DidYouMean.closest(name.toLowerCase(Locale.ROOT), lints)
                .map(close -> d.withHelp("did you mean `" + close + "`?")).orElse(d);
    }

    private static boolean silenced(Diagnostic d, Set<String> allowed, Map<Integer, Set<String>> lines) {
        String lint = d.code().lint() == null ? "" : d.code().lint();
        String code = d.code().name().toLowerCase(Locale.ROOT);
        if (allowed.contains(lint) || allowed.contains(code)) {
            return true;
        }
        if (lines == null) {
            return false;
        }
        Set<String> names = lines.get(d.span().line());
        return names != null && (names.contains(lint) || names.contains(code));
    }

    /**
     * Validates and parses {@code --param name=value} arguments for {@code pipeline} (null: the only
     * pipeline of the root file) by the parameter types: E0601 unknown, E0602 missing, E0603 not
     * parsable, E0604/E0605 no pipeline to choose.
     */
    public static RunArguments checkRunArguments(Checked program, String pipeline, Map<String, String> rawParams) {
        return RunArgumentParser.parse(program, pipeline, rawParams, Map.of());
    }

    /** As above; {@code places}: where the arguments read from a file were written, by name. */
    public static RunArguments checkRunArguments(Checked program, String pipeline, Map<String, String> rawParams,
                                                 Map<String, RunArguments.Place> places) {
        return RunArgumentParser.parse(program, pipeline, rawParams, places);
    }
}
