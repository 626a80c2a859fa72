package dev.freestone.check;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Types expressions. Names are resolved by a {@link Scope} (a pipeline body, or nothing for defaults);
 * calls by the module. Every expression gets a type in {@link Checked#types}; a mistake gets one
 * diagnostic and the type {@link Type.Error}, which is accepted everywhere so it does not cascade.
 */
final class Exprs {
    static final List<String> BUILTINS = List.of("len", "str", "int", "float", "json", "min", "max", "sum", "mean",
            "oneof", "secret", "pvc");
    /** The builtins that aggregate a list of numbers (min and max also take two numbers). */
    static final Set<String> AGGREGATES = Set.of("min", "max", "sum", "mean");
    /** Where a Volume value may go, and why it went nowhere else (E0219). */
    static final String VOLUME_HELP = "a Volume is a claim mounted into a step: pass `pvc(\"claim-name\")`, or a pipeline"
            + " parameter of type `Volume`, straight to a component input `name: Volume`";
    static final Type.Record RUN = new Type.Record("run", runFields());
    /** The fields of {@code run} known only once the body has ended: in {@code finally}. */
    static final Set<String> EXIT_ONLY = Set.of("status", "failures");

    /** A {@code for} or {@code if} a value leaves on its way to a use; {@code block} is the branch it was made in. */
    record Crossing(Ast.Stmt stmt, int block) {
    }

    /**
     * What a name denotes at a use: {@code type} is its type where it is made (a step: its outputs);
     * {@code broken} when the use itself was reported (a cycle, another branch, the exit handler),
     * so that its type is {@link Type.Error} and nothing cascades.
     */
    record Resolved(Symbol symbol, Type type, List<Crossing> crossings, boolean broken) {
    }

    interface Scope {
        /** Null when the name is not known here. */
        Resolved resolve(Ast.Name name);

        /** Names visible here, for suggestions. */
        Collection<String> names();

        boolean inFinally();

        /** A use of a value declared in a pipeline body (for exports, lints and dependencies). */
        void referenced(Ast.Expr use, Symbol target, Type base, List<Crossing> crossings);

        /** A name written `{name}` in a string (W0006): its W0001/W0002/W0005 would tell the same mistake. */
        default void braced(String name) {
        }

        /**
         * Whether the name or field path {@code path} is proven not null here: by the tests of the `if`s around it, or
         * by one of {@code alsoProven} (the paths the left side of an enclosing {@code &&} / {@code ||} proves).
         */
        default boolean provenNotNull(Ast.Expr path, List<Ast.Expr> alsoProven) {
            return false;
        }

        /** Why a name declared elsewhere is not visible here (a loop variable used after its loop), else null. */
        default String outOfScope(String name) {
            return null;
        }
    }

    /** The scope of defaults and settings: no names at all. */
    static final Scope NOTHING = new Scope() {
        @Override
        public Resolved resolve(Ast.Name name) {
            return null;
        }

        @Override
        public Collection<String> names() {
            return List.of();
        }

        @Override
        public boolean inFinally() {
            return false;
        }

        @Override
        public void referenced(Ast.Expr use, Symbol target, Type base, List<Crossing> crossings) {
        }
    };

    /** Python's spelling of the constants, the habit of KFP users. */
    private static final Map<String, String> PYTHON_CONSTANTS = Map.of("True", "true", "False", "false", "None", "null");

    private final Ctx ctx;
    private final Module module;
    private final Scope scope;
    /** Where a name fails, what to say instead of the generic help. */
    private final String unknownNameHelp;
    /** A bare word compared with a String ({@code f.result == heads}, as Argo's {@code when} writes it): text to quote. */
    private Ast.Name comparedWithText;
    /** The paths proven not null by the left sides of the {@code &&} and {@code ||} whose right side is being typed. */
    private final List<Ast.Expr> provenByLeft = new ArrayList<>();
    /** The test of the `if` being typed, whole: when it is constant, E0407 says so and W0010 does not repeat it. */
    private Ast.Expr ifTest;
    /** The value being typed is the whole argument of a component's {@code Volume} input, the one place for one. */
    private boolean volumeHere;

    Exprs(Ctx ctx, Module module, Scope scope, String unknownNameHelp) {
        this.ctx = ctx;
        this.module = module;
        this.scope = scope;
        this.unknownNameHelp = unknownNameHelp;
    }

    private static Map<String, Type> runFields() {
        Map<String, Type> m = new LinkedHashMap<>();
        m.put("id", Type.STRING);
        m.put("name", Type.STRING);
        m.put("status", Type.STRING);
        m.put("failures", new Type.ListOf(Type.FAILURE));
        return m;
    }

    // --- callees ---------------------------------------------------------------------------------------------

    /**
     * What a call calls, without reporting: a {@link Symbol.Callable}, a {@link Symbol.StructDef}, a
     * {@link Symbol.Builtin}, or null.
     */
    static Symbol lookupCallee(Module module, Ast.Call call) {
        String name = call.callee().name();
        if (call.qualifier() != null) {
            Symbol.ImportAlias alias = module.imports.get(call.qualifier().name());
            if (alias == null || alias.target() == null) {
                return null;
            }
            Symbol s = alias.target().members.get(name);
            return s instanceof Symbol.Callable || s instanceof Symbol.StructDef ? s : null;
        }
        Symbol s = module.members.get(name);
        if (s instanceof Symbol.Callable || s instanceof Symbol.StructDef) {
            return s;
        }
        return BUILTINS.contains(name) ? new Symbol.Builtin(name) : null;
    }

    /**
     * {@code task.set_retry(3)}: KFP sets step options by methods of the task; here a name of the body
     * has no methods, and the options belong to the call ({@code .after} is the parser's).
     */
    private static String methodHelp(String step, String method) {
        return methodHelp(step, "comp", method);
    }

    /** As above, for a step of {@code callee} (as written: {@code train}, {@code lib.train}). */
    private static String methodHelp(String step, String callee, String method) {
        String option = KFP_METHODS.get(method);
        if (method.equals("set_display_name")) {
            return "steps have no methods, and no display name: the step's name (`" + step + "`) is its name everywhere";
        }
        return "steps have no methods: set step options at the call, `" + step + " = " + callee + "(...) with { "
                + (option != null ? option : "retry { limit = 3 }  timeout = 1h  cache = false") + " }`";
    }

    /** KFP's task methods, each as the `with` setting it is here (docs/from-kfp.md). */
    private static final java.util.Map<String, String> KFP_METHODS = java.util.Map.ofEntries(
            java.util.Map.entry("set_retry", "retry { limit = 3 }"),
            java.util.Map.entry("set_caching_options", "cache = false"),
            java.util.Map.entry("set_cpu_limit", "resources { cpu = 2 }"),
            java.util.Map.entry("set_cpu_request", "resources { cpu = 2 }"),
            java.util.Map.entry("set_memory_limit", "resources { memory = 1Gi }"),
            java.util.Map.entry("set_memory_request", "resources { memory = 1Gi }"),
            java.util.Map.entry("set_accelerator_limit", "resources { gpu = 1 }"),
            java.util.Map.entry("set_gpu_limit", "resources { gpu = 1 }"),
            java.util.Map.entry("set_env_variable", "env { NAME = \"value\" }"),
            java.util.Map.entry("set_timeout", "timeout = 1h"),
            java.util.Map.entry("set_container_image", "image = \"python:3.12\""));

    /** Resolves a callee and reports why it does not resolve; records the alias and callee symbols. */
    Symbol callee(Ast.Call call) {
        String name = call.callee().name();
        if (call.qualifier() != null) {
            String q = call.qualifier().name();
            Symbol.ImportAlias alias = module.imports.get(q);
            if (alias == null) {
                if (scope.names().contains(q) && !q.equals("run")) {
                    ctx.report(Diagnostic.of(Code.E0111, call.callee().span(), q, name).withHelp(methodHelp(q, name)));
                    return null;
                }
                ctx.report(Diagnostic.of(Code.E0101, call.qualifier().span(), q)
                        .withHelp(DidYouMean.help(q, module.imports.keySet(),
                                "import a module with `import stdlib/<name> as " + q + "` or `import \"./file.pipe\" as " + q + "`")));
                return null;
            }
            ctx.checked.symbols.put(call.qualifier(), alias);
            ctx.usedAliases.add(alias);
            if (alias.target() == null) {
                return null; // the import failed and was reported
            }
            Symbol s = alias.target().members.get(name);
            if (s instanceof Symbol.Callable || s instanceof Symbol.StructDef) {
                ctx.checked.symbols.put(call, s);
                return s;
            }
            List<String> members = new ArrayList<>(alias.target().members.keySet());
            ctx.report(Diagnostic.of(Code.E0111, call.callee().span(), q, name, q, Ctx.list(members))
                    .withHelp(Type.BUILTIN.containsKey(name) ? Declarations.builtinMemberHelp(name)
                            : DidYouMean.help(name, members, "the members of `" + q + "` are: " + Ctx.list(members))));
            return null;
        }
        if (name.isEmpty()) {
            return null;
        }
        Symbol s = lookupCallee(module, call);
        if (s != null) {
            ctx.checked.symbols.put(call, s);
            return s;
        }
        List<String> callables = new ArrayList<>();
        for (Symbol m : module.members.values()) {
            if (m instanceof Symbol.Callable || m instanceof Symbol.StructDef) {
                callables.add(m.name());
            }
        }
        var closeBuiltin = DidYouMean.closest(name, BUILTINS);
        var closeCallable = DidYouMean.closest(name, callables);
        boolean positional = !call.args().isEmpty() && call.args().stream().allMatch(a -> a.name() == null);
        if (closeBuiltin.isPresent() && closeCallable.isEmpty() || positional && closeCallable.isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0112, call.callee().span(), name, String.join(", ", BUILTINS))
                    .withHelp(closeBuiltin.map(c -> "did you mean `" + c + "`?")
                            .orElse("builtins are: " + String.join(", ", BUILTINS))));
        } else {
            Diagnostic d = Diagnostic.of(Code.E0104, call.callee().span(), name, name);
            Type builtin = Type.BUILTIN.get(name);
            if (closeCallable.isPresent()) {
                d = d.withHelp("did you mean `" + closeCallable.get() + "`?");
            } else if (builtin != null) {
                // not "declare `component Failure(...)`": the name is taken by the built-in type, which no call makes
                d = d.withHelp("`" + name + "` is a built-in type, not a component or pipeline: " + (builtin == Type.FAILURE
                        ? "its values come from `run.failures`, in a `finally` block"
                        : builtin instanceof Type.ArtifactType
                                ? "a value of it is a file a step writes, or a path given as a parameter's default"
                                        + " (`data: " + name + " = \"data/train.csv\"`)"
                                : "a value of it is written as a literal or converted with `str`, `int` or `float`"));
            }
            ctx.report(d);
        }
        return null;
    }

    // --- values ----------------------------------------------------------------------------------------------

    /** The type of {@code test}, the condition of an `if`. */
    Type test(Ast.Expr test) {
        ifTest = test;
        try {
            return value(test, false);
        } finally {
            ifTest = null;
        }
    }

    /** The type of an expression used as a value ({@code top}: it is the whole value, where `oneof` may stand). */
    Type value(Ast.Expr e, boolean top) {
        boolean volumeAllowed = volumeHere;
        volumeHere = false; // nor inside it
        Type t = raw(e, top);
        volumeHere = volumeAllowed;
        if (t instanceof Type.Volume && !volumeAllowed) {
            ctx.report(Diagnostic.of(Code.E0219, e.span(), "used as a value here", VOLUME_HELP));
            t = Type.ERROR;
            ctx.checked.types.put(e, t);
        }
        if (t instanceof Type.Record r) {
            if (r == RUN) {
                ctx.report(Diagnostic.of(Code.E0201, e.span(), "a value", "run")
                        .withHelp("use `run.id`, `run.name`, `run.status` or `run.failures`"));
            } else {
                ctx.report(Diagnostic.of(Code.E0212, e.span(), e.span().text(), outputsList(r)));
            }
            t = Type.ERROR;
            ctx.checked.types.put(e, t);
        }
        return t;
    }

    /** Checks that {@code e} fits {@code expected}; reports the most helpful of E0401, E0402, E0214, E0201. */
    Type expect(Ast.Expr e, Type expected, boolean top) {
        Type t = value(e, top);
        if (!Type.isAssignable(t, expected)) {
            mismatch(e, expected, t, null);
        }
        return t;
    }

    /**
     * Reports a value of type {@code found} where {@code expected} is needed. {@code fallback}, when
     * given, replaces E0201 (outputs use E0203).
     */
    void mismatch(Ast.Expr e, Type expected, Type found, Diagnostic fallback) {
        if (found instanceof Type.Secret) {
            return; // E0504 was reported where the secret is made
        }
        Diagnostic hint = liftHint(e, found, expected);
        if (hint != null) {
            ctx.report(hint);
        } else if (found instanceof Type.Null) {
            ctx.report(Diagnostic.of(Code.E0214, e.span(), expected.display(), expected.display()));
        } else if (fallback != null) {
            ctx.report(fallback);
        } else {
            Diagnostic d = Diagnostic.of(Code.E0201, e.span(), expected.display(), found.display());
            if (found instanceof Type.Optional o && Type.isAssignable(o.inner(), expected) && fromOneof(e)) {
                d = d.withHelp("a `" + found.display() + "` may be null: merge every branch of the `if`, `else` included, "
                        + "with `oneof(...)`, or declare the input as `" + Type.optional(expected).display() + "`");
            } else if (found instanceof Type.Optional o && Type.isAssignable(o.inner(), expected)) {
                // a value declared optional (a parameter `extra: Dataset? = null`, a field, an output) outside a test
                String declare = "declare the input as `" + Type.optional(expected).display()
                        + "` (a null reaches the step as an empty value)";
                d = d.withHelp(Narrowing.isPath(e)
                        ? "`" + e.span().text() + "` is declared `" + found.display() + "` and may be null here: inside `if "
                                + e.span().text() + " != null { ... }` it is a `" + o.inner().display() + "`, or " + declare
                        : "`" + e.span().text() + "` may be null: " + declare);
            } else if (Type.isArtifact(found) != Type.isArtifact(expected) && !(expected instanceof Type.Error)) {
                d = d.withHelp(Type.isArtifact(found)
                        ? "an artifact is a file: pass it to a step input of an artifact type"
                        : "an artifact input needs an artifact: a step output or a pipeline parameter of an artifact type");
            } else {
                String help = conversionHelp(expected, found);
                if (help != null) {
                    d = d.withHelp(help);
                }
            }
            ctx.report(d);
        }
    }

    /** Whether {@code e} is a {@code oneof(...)}, or a named value bound to one (`url = oneof(a.url, b.url)`). */
    private boolean fromOneof(Ast.Expr e) {
        Ast.Expr v = ctx.checked.symbols.get(e) instanceof Symbol.Value named ? named.bind().value() : e;
        return v instanceof Ast.Call c && c.qualifier() == null && c.callee().name().equals("oneof");
    }

    /**
     * What to write instead of a {@code found} where {@code expected} is needed, for the pair at hand;
     * null leaves E0201's general help (Int widens to Float, nothing else converts implicitly).
     */
    private static String conversionHelp(Type expected, Type found) {
        Type e = Type.strip(expected);
        Type f = Type.strip(found);
        if (e instanceof Type.Scalar es && f instanceof Type.Scalar fs) {
            if (es.kind() == Type.Kind.INT && fs.kind() == Type.Kind.FLOAT) {
                return "a Float never becomes an Int implicitly: `int(...)` drops the fraction";
            }
            String converter = converter(es, fs);
            if (converter != null) {
                return "convert it with " + converter;
            }
            return switch (es.kind()) {
                case BOOL -> "a Bool comes from a comparison, e.g. `n > 0` or `s == \"yes\"`";
                case DURATION -> "write a duration: `250ms`, `30s`, `5m`, `2h` or `1d`";
                default -> null;
            };
        }
        if (e instanceof Type.ListOf el && f instanceof Type.ListOf fl) {
            String each = Type.strip(el.element()) instanceof Type.Scalar ee
                    && Type.strip(fl.element()) instanceof Type.Scalar fe ? converter(ee, fe) : null;
            return "a list converts only when its elements do, and `" + fl.element().display() + "` is not `"
                    + el.element().display() + "`" + (each != null ? ": convert each element with " + each : "");
        }
        if (e instanceof Type.ListOf) {
            return "a List is expected: `[...]` makes a list of one value";
        }
        if (f instanceof Type.ListOf) {
            return "a List is not a `" + e.display() + "`: pass one element (`xs[0]`), or run the step for each"
                    + " element with `for x in xs { ... }`";
        }
        if (e instanceof Type.MapOf em && f instanceof Type.MapOf fm) {
            return "a map converts only when its values do, and `" + fm.value().display() + "` is not `"
                    + em.value().display() + "`";
        }
        if (e instanceof Type.ArtifactType ea && f instanceof Type.ArtifactType fa) {
            StringBuilder line = new StringBuilder(fa.display());
            for (Type.ArtifactType a = fa.parent(); a != null; a = a.parent()) {
                line.append(" → ").append(a.display());
            }
            return "an artifact is accepted where its own type or an ancestor is expected (" + line + "), not a `"
                    + ea.display() + "`";
        }
        return null;
    }

    /** The conversion function that makes an {@code expected} of a {@code found}, e.g. {@code `str(...)`}; null when none does. */
    private static String converter(Type.Scalar expected, Type.Scalar found) {
        return switch (expected.kind()) {
            case STRING -> "`str(...)`";
            case INT -> found.kind() == Type.Kind.STRING || found.kind() == Type.Kind.BOOL ? "`int(...)`" : null;
            case FLOAT -> found.kind() == Type.Kind.STRING ? "`float(...)`" : null;
            default -> null;
        };
    }

    /** E0401 / E0402 when the mismatch comes from leaving a loop or an `if`; null otherwise. */
    private Diagnostic liftHint(Ast.Expr e, Type found, Type expected) {
        Checked.Reference ref = ctx.checked.references.get(e);
        if (ref == null || ref.crossed().isEmpty()) {
            return null;
        }
        boolean fromLoop = ref.crossed().stream().anyMatch(s -> s instanceof Ast.For);
        boolean fromIf = ref.crossed().stream().anyMatch(s -> s instanceof Ast.If);
        if (fromLoop && found instanceof Type.ListOf l && expected != null
                && (Type.isAssignable(l.element(), expected) || Type.isAssignable(Type.strip(l.element()), expected))) {
            return Diagnostic.of(Code.E0401, e.span(), e.span().text(), found.display(), expected.display(), e.span().text());
        }
        if (fromIf && found instanceof Type.Optional o && expected != null && Type.isAssignable(o.inner(), expected)) {
            return Diagnostic.of(Code.E0402, e.span(), e.span().text(), found.display(), expected.display());
        }
        return null;
    }

    private static String outputsList(Type.Record r) {
        List<String> out = new ArrayList<>();
        for (String f : r.fields().keySet()) {
            out.add(f);
        }
        return out.isEmpty() ? "it has none; name it in `after` to wait for it" : Ctx.list(out);
    }

    private Type raw(Ast.Expr e, boolean top) {
        Type t = rawUnrecorded(e, top);
        ctx.checked.types.put(e, t);
        return t;
    }

    private Type rawUnrecorded(Ast.Expr e, boolean top) {
        if (e instanceof Ast.IntLit) {
            return Type.INT;
        }
        if (e instanceof Ast.FloatLit) {
            return Type.FLOAT;
        }
        if (e instanceof Ast.BoolLit) {
            return Type.BOOL;
        }
        if (e instanceof Ast.NullLit) {
            return Type.NULL;
        }
        if (e instanceof Ast.DurationLit) {
            return Type.DURATION;
        }
        if (e instanceof Ast.QuantityLit) {
            return Type.QUANTITY;
        }
        if (e instanceof Ast.BadUnitLit) {
            return Type.ERROR; // the parser reported the unknown unit (E0501)
        }
        if (e instanceof Ast.StringLit s) {
            for (Ast.StringPart p : s.parts()) {
                if (p instanceof Ast.Text text && !s.triple()) {
                    bracedNames(text);
                    argoTags(text);
                } else if (p instanceof Ast.Interpolation i) {
                    Type t = value(i.expr(), false);
                    Diagnostic skipped = t instanceof Type.Optional o ? liftHint(i.expr(), t, o.inner()) : null;
                    if (skipped != null) {
                        // a branch that did not run has no value to show (Argo cannot resolve it either)
                        ctx.report(skipped);
                    } else if (Type.isArtifact(t)) {
                        ctx.report(Diagnostic.of(Code.E0201, i.expr().span(), "a value", t.display())
                                .withHelp("an artifact is a file and cannot be put in a string; pass it to a step"));
                    }
                }
            }
            return Type.STRING;
        }
        if (e instanceof Ast.ListLit l) {
            Type joined = Type.NEVER;
            for (Ast.Expr x : l.elements()) {
                Type t = value(x, false);
                Type j = Type.join(joined, t);
                if (j == null) {
                    ctx.report(Diagnostic.of(Code.E0201, x.span(), joined.display(), t.display())
                            .withHelp("the elements of a list have one type"));
                } else {
                    joined = j;
                }
            }
            return new Type.ListOf(joined);
        }
        if (e instanceof Ast.MapLit m) {
            Type joined = Type.NEVER;
            Map<String, Ast.Entry> seen = new HashMap<>();
            for (Ast.Entry x : m.entries()) {
                Ast.Entry previous = seen.putIfAbsent(x.key(), x);
                if (previous != null) {
                    ctx.report(Diagnostic.of(Code.E0108, x.keySpan(), x.key(), x.key(), Ctx.at(previous.keySpan())));
                }
                Type t = value(x.value(), false);
                Type j = Type.join(joined, t);
                if (j == null) {
                    ctx.report(Diagnostic.of(Code.E0201, x.value().span(), joined.display(), t.display())
                            .withHelp("the values of a map have one type"));
                } else {
                    joined = j;
                }
            }
            return new Type.MapOf(joined);
        }
        if (e instanceof Ast.Name n) {
            return name(n);
        }
        if (e instanceof Ast.Member m) {
            return member(m);
        }
        if (e instanceof Ast.Index i) {
            return index(i);
        }
        if (e instanceof Ast.Call c) {
            return call(c, top);
        }
        if (e instanceof Ast.Unary u) {
            return unary(u);
        }
        return binary((Ast.Binary) e);
    }

    private Type name(Ast.Name n) {
        String name = n.ident().name();
        if (name.isEmpty()) {
            return Type.ERROR;
        }
        Resolved r = scope.resolve(n);
        if (r == null) {
            if (name.equals("run")) {
                ctx.checked.symbols.put(n, new Symbol.Run(null));
                return RUN;
            }
            Diagnostic d = Diagnostic.of(Code.E0101, n.span(), name);
            var close = DidYouMean.closest(name, scope.names());
            Symbol decl = module.members.get(name);
            String outOfScope = scope.outOfScope(name);
            // what the name is declared as explains more than a name that is spelled alike
            if (decl instanceof Symbol.Callable c) {
                d = d.withHelp(callNotValue(c, name));
            } else if (module.imports.containsKey(name)) {
                d = d.withHelp("`" + name + "` is an imported module: use its members as `" + name + ".member(...)`");
            } else if (PYTHON_CONSTANTS.containsKey(name)) {
                d = d.withHelp("did you mean `" + PYTHON_CONSTANTS.get(name) + "`?");
            } else if (outOfScope != null) {
                d = d.withHelp(outOfScope);
            } else if (close.isPresent()) {
                d = d.withHelp("did you mean `" + close.get() + "`?");
            } else if (n == comparedWithText) {
                d = d.withHelp("it is compared with a String: text is quoted, `\"" + name + "\"` (Argo's `when` compares"
                        + " bare words; here a bare word is a name)");
            } else if (unknownNameHelp != null) {
                d = d.withHelp(unknownNameHelp);
            }
            ctx.report(d);
            return Type.ERROR;
        }
        ctx.checked.symbols.put(n, r.symbol());
        if (r.symbol() instanceof Symbol.Step) {
            return r.type();
        }
        if (r.broken()) {
            return Type.ERROR;
        }
        Type t = lift(r.type(), r.crossings());
        if (r.symbol() instanceof Symbol.Value || r.symbol() instanceof Symbol.Input || r.symbol() instanceof Symbol.LoopVar) {
            ctx.reference(n, r.symbol(), r.crossings());
            scope.referenced(n, r.symbol(), r.type(), r.crossings());
        }
        return narrowed(n, t);
    }

    /** {@code t}, a {@code T?} proven not null here by an enclosing `if`'s test (see {@link Narrowing}), as a {@code T}. */
    private Type narrowed(Ast.Expr path, Type t) {
        return t instanceof Type.Optional o && scope.provenNotNull(path, provenByLeft) ? o.inner() : t;
    }

    static Type lift(Type t, List<Crossing> crossings) {
        for (Crossing c : crossings) {
            if (t instanceof Type.Error) {
                return t;
            }
            if (c.stmt() instanceof Ast.For) {
                t = new Type.ListOf(t);
            } else if (c.stmt() instanceof Ast.If) {
                t = Type.optional(t);
            }
        }
        return t;
    }

    static List<Ast.Stmt> stmts(List<Crossing> crossings) {
        List<Ast.Stmt> out = new ArrayList<>(crossings.size());
        for (Crossing c : crossings) {
            out.add(c.stmt());
        }
        return out;
    }

    private Type member(Ast.Member m) {
        String field = m.name().name();
        if (m.target() instanceof Ast.Name n) {
            Resolved r = n.ident().name().isEmpty() ? null : scope.resolve(n);
            if (r != null && r.symbol() instanceof Symbol.Step step) {
                ctx.checked.symbols.put(n, step);
                ctx.checked.types.put(n, step.callee().resultType());
                if (field.isEmpty()) {
                    return Type.ERROR;
                }
                Symbol.Output out = null;
                for (Symbol.Output o : step.callee().outputs()) {
                    if (o.name().equals(field)) {
                        out = o;
                    }
                }
                if (out == null) {
                    List<String> names = step.callee().outputs().stream().map(Symbol.Output::name).toList();
                    String list = "the outputs of `" + step.callee().name() + "` are: " + Ctx.list(names);
                    ctx.report(Diagnostic.of(Code.E0102, m.name().span(), field, step.id(), step.callee().name(), Ctx.list(names))
                            .withHelp(field.equals("outputs") && !names.isEmpty()
                                    ? outputsHelp(m, step.id(), names) + list
                                    : DidYouMean.help(field, names, names.isEmpty()
                                    ? "`" + step.callee().name() + "` has no outputs; name the step in `after` to wait for it"
                                    : list)));
                    return Type.ERROR;
                }
                Symbol.StepOutput so = ctx.stepOutput(step, out);
                ctx.checked.symbols.put(m, so);
                if (r.broken()) {
                    return Type.ERROR;
                }
                ctx.reference(m, so, r.crossings());
                scope.referenced(m, so, out.type(), r.crossings());
                return narrowed(m, lift(out.type(), r.crossings()));
            }
            if (r == null && n.ident().name().equals("run")) {
                ctx.checked.symbols.put(n, new Symbol.Run(null));
                ctx.checked.types.put(n, RUN);
                if (!RUN.fields().containsKey(field)) {
                    List<String> names = List.copyOf(RUN.fields().keySet());
                    ctx.report(Diagnostic.of(Code.E0105, m.name().span(), field, "run", "run", Ctx.list(names))
                            .withHelp(DidYouMean.help(field, names, "the fields of `run` are: " + Ctx.list(names))));
                    return Type.ERROR;
                }
                if (EXIT_ONLY.contains(field) && !scope.inFinally()) {
                    ctx.report(Diagnostic.of(Code.E0415, m.span(), "run." + field)
                            .withHelp("`run." + field + "` is known only inside `finally`"));
                }
                Symbol.Run sym = new Symbol.Run(field);
                ctx.checked.symbols.put(m, sym);
                ctx.reference(m, sym, List.of());
                return RUN.fields().get(field);
            }
        }
        if (m.target() instanceof Ast.Name n && !n.ident().name().isEmpty() && scope.resolve(n) == null
                && module.imports.containsKey(n.ident().name())) {
            return aliasMember(m, module.imports.get(n.ident().name()));
        }
        if (m.target() instanceof Ast.Call c && callee(c) instanceof Symbol.Callable k) {
            // `lib.make(n = 1).data`, KFP's `make(n=1).outputs["data"]`: a call is a step of its own
            call(c, k, field);
            return Type.ERROR;
        }
        Type t = value(m.target(), false);
        if (t instanceof Type.Error || field.isEmpty()) {
            return Type.ERROR;
        }
        boolean optional = t instanceof Type.Optional;
        Type s = Type.strip(t);
        Type result;
        if (s instanceof Type.Struct st) {
            Type ft = st.fields().get(field);
            if (ft == null) {
                List<String> names = List.copyOf(st.fields().keySet());
                ctx.report(Diagnostic.of(Code.E0105, m.name().span(), field, st.name(), st.name(), Ctx.list(names))
                        .withHelp(DidYouMean.help(field, names, "the fields of `" + st.name() + "` are: " + Ctx.list(names))));
                return Type.ERROR;
            }
            Symbol owner = structDef(st);
            if (owner instanceof Symbol.StructDef def) {
                for (Ast.Field f : def.decl().fields()) {
                    if (f.name().name().equals(field)) {
                        ctx.checked.symbols.put(m, new Symbol.Field(field, ft, def, f));
                        break;
                    }
                }
            }
            result = ft;
        } else if (s instanceof Type.MapOf map) {
            result = map.value();
        } else {
            Diagnostic d = Diagnostic.of(Code.E0207, m.span(), t.display());
            Checked.Reference ref = ctx.checked.references.get(m.target());
            if (s instanceof Type.ListOf l && ref != null && ref.crossed().stream().anyMatch(x -> x instanceof Ast.For)) {
                d = Diagnostic.of(Code.E0401, m.target().span(), m.target().span().text(), t.display(), l.element().display(),
                        m.target().span().text());
            }
            ctx.report(d);
            return Type.ERROR;
        }
        return narrowed(m, optional ? Type.optional(result) : result);
    }

    private Symbol structDef(Type.Struct st) {
        for (Module m : ctx.checked.modules) {
            if (m.key().equals(st.module())) {
                return m.members.get(st.name());
            }
        }
        return null;
    }

    private Type index(Ast.Index i) {
        Type t = value(i.target(), false);
        Type it = value(i.index(), false);
        if (t instanceof Type.Error) {
            return Type.ERROR;
        }
        if (t instanceof Type.ListOf l) {
            if (!Type.isAssignable(it, Type.INT)) {
                ctx.report(Diagnostic.of(Code.E0201, i.index().span(), "Int", it.display())
                        .withHelp("a list is indexed by position, from 0"));
            }
            return l.element();
        }
        if (t instanceof Type.MapOf m) {
            if (!Type.isAssignable(it, Type.STRING)) {
                ctx.report(Diagnostic.of(Code.E0201, i.index().span(), "String", it.display())
                        .withHelp("a map is indexed by its String keys"));
            }
            return m.value();
        }
        Diagnostic hint = liftHint(i.target(), t, null);
        ctx.report(hint != null ? hint : Diagnostic.of(Code.E0211, i.target().span(), t.display()));
        return Type.ERROR;
    }

    private static String callNotValue(Symbol.Callable c, String written) {
        return "`" + written + "` is a " + (c instanceof Symbol.Component ? "component" : "pipeline")
                + ": call it as a step, `s = " + written + "(...)`, and use `s.<output>`";
    }

    /**
     * {@code alias.member} used as a value (a call's parentheses not typed yet): the import is known, so
     * the member is what is wrong: missing (E0111), or a component, pipeline or type that is no value.
     */
    private Type aliasMember(Ast.Member m, Symbol.ImportAlias alias) {
        Ast.Name target = (Ast.Name) m.target();
        String q = alias.name();
        String field = m.name().name();
        ctx.checked.symbols.put(target, alias);
        ctx.usedAliases.add(alias);
        if (alias.target() == null || field.isEmpty()) {
            return Type.ERROR; // the import failed and was reported, or the member is not typed yet
        }
        Symbol s = alias.target().members.get(field);
        if (s == null) {
            List<String> members = new ArrayList<>(alias.target().members.keySet());
            ctx.report(Diagnostic.of(Code.E0111, m.name().span(), q, field, q, Ctx.list(members))
                    .withHelp(DidYouMean.help(field, members, "the members of `" + q + "` are: " + Ctx.list(members))));
            return Type.ERROR;
        }
        ctx.checked.symbols.put(m, s);
        Diagnostic d = Diagnostic.of(Code.E0101, m.span(), q + "." + field);
        String written = q + "." + field;
        ctx.report(d.withHelp(s instanceof Symbol.Callable c ? callNotValue(c, written)
                : s instanceof Symbol.StructDef ? "`" + written + "` is a struct type: build a value with `" + written + "(...)`"
                : "`" + written + "` is a type, not a value"));
        return Type.ERROR;
    }

    private Type call(Ast.Call c, boolean top) {
        Symbol callee = callee(c);
        if (callee instanceof Symbol.Builtin b) {
            return builtin(c, b.name(), top);
        }
        if (callee instanceof Symbol.StructDef s) {
            arguments(c, s.name(), fieldsAsInputs(s), true, false);
            return s.type();
        }
        if (callee instanceof Symbol.Callable k) {
            call(c, k, null);
            return Type.ERROR;
        }
        for (Ast.Arg a : c.args()) {
            value(a.value(), false);
        }
        return Type.ERROR;
    }

    /**
     * E0217 for a call of {@code k} inside an expression, its help written with the callee as the user wrote it and
     * the output read ({@code member}, when the call is followed by {@code .NAME}), else its first output; a KFP
     * task method there ({@code .set_caching_options}) is said as the {@code with} setting it is.
     */
    private void call(Ast.Call c, Symbol.Callable k, String member) {
        String written = (c.qualifier() == null ? "" : c.qualifier().name() + ".") + c.callee().name();
        List<String> outputs = k.outputs().stream().map(Symbol.Output::name).toList();
        String help = member != null && KFP_METHODS.containsKey(member) ? methodHelp("s", written, member)
                : outputs.isEmpty() ? "bind it first (`s = " + written + "(...)`); it has no outputs: wait for it with `after s`"
                : "bind it first (`s = " + written + "(...)`), then read its output by name (`s."
                        + (member != null && outputs.contains(member) ? member : outputs.get(0)) + "`)";
        ctx.report(Diagnostic.of(Code.E0217, c.span(), k instanceof Symbol.Component ? "component" : "pipeline", k.name())
                .withHelp(help));
        for (Ast.Arg a : c.args()) {
            value(a.value(), false);
        }
    }

    /** A struct's fields seen as the inputs of its constructor: optional fields may be left out. */
    private static List<Param> fieldsAsInputs(Symbol.StructDef s) {
        List<Param> out = new ArrayList<>();
        for (Ast.Field f : s.decl().fields()) {
            Type t = s.type().fields().get(f.name().name());
            if (t != null && out.stream().noneMatch(p -> p.name().equals(f.name().name()))) {
                out.add(new Param(f.name().name(), t, !(t instanceof Type.Optional),
                        new Symbol.Field(f.name().name(), t, s, f)));
            }
        }
        return out;
    }

    /** A named input of a call: a component or pipeline input, or a struct field. */
    record Param(String name, Type type, boolean required, Symbol symbol) {
    }

    static List<Param> inputsAsParams(Symbol.Callable k) {
        List<Param> out = new ArrayList<>();
        for (Symbol.Input i : k.inputs()) {
            out.add(new Param(i.name(), i.type(), i.required(), i));
        }
        return out;
    }

    /**
     * Checks named arguments against inputs: E0210 positional, E0103 unknown, E0108 twice, E0202
     * missing, and each value's type. A mistake is told once: an input that a positional or a
     * misspelt argument was probably meant for is named in that argument's help, not reported
     * missing as well. {@code mounts}: the callee is a component, whose {@code Volume} inputs take a claim (E0219
     * elsewhere).
     */
    void arguments(Ast.Call c, String calleeName, List<Param> params, boolean struct, boolean mounts) {
        Map<String, Param> byName = new LinkedHashMap<>();
        params.forEach(p -> byName.put(p.name(), p));
        Set<String> named = new HashSet<>();
        c.args().stream().filter(a -> a.name() != null).forEach(a -> named.add(a.name().name()));
        Set<String> meant = new HashSet<>();
        Map<String, Ast.Arg> given = new HashMap<>();
        List<Ast.Arg> unknown = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            Ast.Arg a = c.args().get(i);
            if (a.name() == null) {
                // KFP's components take positional arguments in declaration order: name the input it was
                Param p = i < params.size() && !named.contains(params.get(i).name()) ? params.get(i) : null;
                Diagnostic d = Diagnostic.of(Code.E0210, a.span(),
                        "positional argument: `" + calleeName + "` takes named arguments");
                if (p != null) {
                    meant.add(p.name());
                    d = d.withHelp("name it: `" + p.name() + " = " + shortText(a.value()) + "`");
                }
                ctx.report(d);
                value(a.value(), false);
                continue;
            }
            String n = a.name().name();
            Ast.Arg previous = given.putIfAbsent(n, a);
            if (previous != null) {
                ctx.report(Diagnostic.of(Code.E0108, a.name().span(), n, n, Ctx.at(previous.name().span())));
                value(a.value(), !struct);
                continue;
            }
            Param p = byName.get(n);
            if (p == null) {
                unknown.add(a);
                value(a.value(), !struct);
                continue;
            }
            ctx.checked.symbols.put(a.name(), p.symbol());
            if (p.type() instanceof Type.Volume && !mounts) {
                // on Argo a called pipeline's parameter is text: whether the claim is read-only would not get through
                ctx.report(Diagnostic.of(Code.E0219, a.value().span(), "passed to pipeline `" + calleeName + "`",
                        "only a component mounts a claim: call `" + calleeName + "`'s components from here, or run `"
                                + calleeName + "` itself with `--param " + p.name() + "=CLAIM`"));
            }
            if (p.type() instanceof Type.Volume) {
                expectVolume(a.value());
            } else {
                expect(a.value(), p.type(), !struct);
            }
        }
        List<String> names = List.copyOf(byName.keySet());
        List<String> missing = new ArrayList<>();
        for (Param p : params) {
            if (p.required() && !given.containsKey(p.name()) && !meant.contains(p.name())) {
                missing.add(p.name());
            }
        }
        String listed = (struct ? "the fields of `" : "the inputs of `") + calleeName + "` are: " + Ctx.list(names);
        for (Ast.Arg a : unknown) {
            String n = a.name().name();
            String near = DidYouMean.closest(n, names).filter(x -> !given.containsKey(x)).orElse(null);
            String help;
            if (near != null) {
                help = "did you mean `" + near + "`?";
            } else if (!missing.isEmpty()) {
                near = missing.get(0);
                help = "did you mean `" + near + "`? it is required and not given";
            } else {
                help = DidYouMean.help(n, names, listed);
            }
            missing.remove(near);
            ctx.report(Diagnostic.of(Code.E0103, a.name().span(), n, calleeName, calleeName, Ctx.list(names))
                    .withHelp(help));
        }
        for (Param p : params) {
            if (missing.contains(p.name())) {
                Diagnostic d = Diagnostic.of(Code.E0202, c.callee().span(), p.name(), calleeName, p.name());
                // a field has no default value: leaving it out takes an optional type
                ctx.report(struct ? d.withHelp("pass `" + p.name() + " = ...`, or declare the field optional (`"
                        + p.name() + ": " + p.type().display() + "?`)") : d);
            }
        }
    }

    /** Types the whole value given to a {@code Volume} input, as an argument or its default: the one place for one. */
    void expectVolume(Ast.Expr e) {
        volumeHere = true;
        expect(e, Type.VOLUME, false);
        volumeHere = false;
    }

    /** W0006: {@code "acc {best.score}"} reads like Python's f-string and is that text. */
    private void bracedNames(Ast.Text t) {
        for (Settings.Braced b : Settings.braced(t)) {
            if (scope.names().contains(b.name())) {
                String ref = b.name() + b.path();
                ctx.warn(module, Diagnostic.of(Code.W0006, b.span(), ref, "value", ref, ref));
                scope.braced(b.name());
            }
        }
    }

    /**
     * W0009: {@code "{{tasks.f.outputs.result}}"}, {@code "{{workflow.parameters.lr}}"}, {@code "{{item}}"} in a string, as
     * an Argo template writes them, are that text here (and something else on Argo, which substitutes them).
     */
    private void argoTags(Ast.Text t) {
        for (Settings.ArgoTag tag : Settings.argoTags(t)) {
            String help = Settings.fixedHelp(tag);
            if (help == null && scope.names().contains(tag.name())) {
                String ref = tag.output() == null ? tag.name() : tag.name() + "." + tag.output().replace('-', '_');
                help = "write `${" + ref + "}`" + (tag.output() == null ? "" : ", the step's output by its declared name");
                scope.braced(tag.name());
            }
            if (help != null) {
                ctx.warn(module, Diagnostic.of(Code.W0009, tag.span(), tag.span().text(), help));
            }
        }
    }

    /** Argo's {@code .outputs.parameters.NAME}, {@code .outputs.artifacts.NAME}, {@code .outputs.result} after a step. */
    private static final Pattern ARGO_OUTPUT =
            Pattern.compile("\\.(?:(?:parameters|artifacts)\\.([A-Za-z_][A-Za-z0-9_]*)|result\\b)");

    /**
     * The help for {@code step.outputs}, as written in Argo ({@code step.outputs.artifacts.model}, {@code .outputs.result})
     * or in KFP ({@code task.outputs["model"]}): the output read by its name, the one the text names when it is one.
     */
    private static String outputsHelp(Ast.Member m, String step, List<String> names) {
        String source = m.span().source().text();
        Matcher argo = ARGO_OUTPUT.matcher(source).region(m.span().end(), source.length());
        if (argo.lookingAt()) {
            String name = argo.group(1) != null && names.contains(argo.group(1)) ? argo.group(1) : names.get(0);
            return "an output is read by its name: Argo's `" + step + ".outputs" + argo.group() + "` is `" + step + "."
                    + name + "`; ";
        }
        // KFP's task.outputs["accuracy"]
        return "an output is read by its name: KFP's `" + step + ".outputs[\"" + names.get(0) + "\"]` is `" + step + "."
                + names.get(0) + "`; ";
    }

    /** Types the argument values of a call whose inputs are not known for sure. */
    void argumentValues(Ast.Call c) {
        c.args().forEach(a -> value(a.value(), true));
    }

    /** The source text of a short argument value, else {@code ...}. */
    private static String shortText(Ast.Expr e) {
        String text = e.span().text();
        return text.length() <= 30 && !text.contains("\n") ? text : "...";
    }

    private Type builtin(Ast.Call c, String name, boolean top) {
        if (name.equals("pvc")) {
            return pvc(c);
        }
        for (Ast.Arg a : c.args()) {
            if (a.name() != null) {
                ctx.report(Diagnostic.of(Code.E0210, a.name().span(),
                                "builtin `" + name + "` takes positional arguments, not `" + a.name().name() + " = ...`")
                        .withHelp("write `" + name + "(value)`"));
            }
        }
        if (name.equals("oneof")) {
            return oneof(c, top);
        }
        if (AGGREGATES.contains(name)) {
            return aggregate(c, name);
        }
        int want = name.equals("secret") ? 2 : 1;
        if (c.args().size() != want) {
            ctx.report(Diagnostic.of(Code.E0218, c.span(), name, want == 1 ? "one argument" : "two arguments",
                    String.valueOf(c.args().size())));
            for (Ast.Arg a : c.args()) {
                value(a.value(), false);
            }
            return name.equals("secret") ? Type.SECRET : resultOf(name);
        }
        if (name.equals("secret")) {
            for (Ast.Arg a : c.args()) {
                Type t = value(a.value(), false);
                if (!(a.value() instanceof Ast.StringLit s && s.constant() != null) && !(t instanceof Type.Error)) {
                    ctx.report(Diagnostic.of(Code.E0201, a.value().span(), "a constant String", t.display())
                            .withHelp("the secret's name and key are constant strings: `secret(\"db-creds\", \"password\")`"));
                }
            }
            ctx.report(Diagnostic.of(Code.E0504, c.span()));
            return Type.SECRET;
        }
        Ast.Expr arg = c.args().get(0).value();
        Type t = value(arg, false);
        if (t instanceof Type.Error) {
            return resultOf(name);
        }
        boolean ok = switch (name) {
            case "len" -> t instanceof Type.ListOf || t instanceof Type.MapOf || t.equals(Type.STRING);
            case "int" -> t.equals(Type.STRING) || t.equals(Type.INT) || t.equals(Type.FLOAT) || t.equals(Type.BOOL);
            case "float" -> t.equals(Type.STRING) || t.equals(Type.INT) || t.equals(Type.FLOAT);
            default -> !Type.isArtifact(t) && !(t instanceof Type.Secret) && !(t instanceof Type.Volume);
        };
        if (!ok) {
            String expected = switch (name) {
                case "len" -> "List, Map or String";
                case "int" -> "String, Int, Float or Bool";
                case "float" -> "String, Int or Float";
                default -> "a value";
            };
            Diagnostic hint = liftHint(arg, t, name.equals("len") ? null : Type.strip(t));
            ctx.report(hint != null ? hint : Diagnostic.of(Code.E0201, arg.span(), expected, t.display())
                    .withHelp(Type.isArtifact(t) ? "an artifact is a file; `" + name + "` takes a value"
                            : "`" + name + "` takes a " + expected));
        }
        return resultOf(name);
    }

    /**
     * {@code min(xs)}, {@code max(xs)}, {@code sum(xs)}, {@code mean(xs)} of a {@code List[Int]} or {@code List[Float]}
     * (nulls of a {@code List[T?]} are left out, as SQL's aggregates do); {@code min(a, b)}, {@code max(a, b)} of two
     * numbers, which mix as {@code +} does. An Int list gives an Int, but {@code mean} is always a Float.
     */
    private Type aggregate(Ast.Call c, String name) {
        boolean pair = name.equals("min") || name.equals("max");
        List<Ast.Arg> args = c.args();
        if (args.isEmpty() || args.size() > (pair ? 2 : 1)) {
            ctx.report(Diagnostic.of(Code.E0218, c.span(), name, pair ? "a list of numbers or two numbers" : "a list of numbers",
                    args.isEmpty() ? "nothing" : args.size() + " arguments").withHelp(pair
                    ? "write `" + name + "(t.acc)` for the " + (name.equals("max") ? "largest" : "smallest")
                            + " of a list, or `" + name + "(a, b)` of two numbers"
                    : "write `" + name + "(t.acc)` of a `List[Int]` or a `List[Float]`"));
            args.forEach(a -> value(a.value(), false));
            return name.equals("mean") ? Type.FLOAT : Type.ERROR;
        }
        if (args.size() == 2) {
            Type a = numberArgument(args.get(0).value(), name);
            Type b = numberArgument(args.get(1).value(), name);
            if (a == null || b == null) {
                return Type.ERROR;
            }
            return a.equals(Type.INT) && b.equals(Type.INT) ? Type.INT : Type.FLOAT;
        }
        Ast.Expr arg = args.get(0).value();
        Type t = value(arg, false);
        if (t instanceof Type.Error) {
            return name.equals("mean") ? Type.FLOAT : Type.ERROR;
        }
        Type element = t instanceof Type.ListOf l ? Type.strip(l.element()) : null;
        if (element == null || !Type.isNumeric(element)) {
            String expected = "List[Int] or List[Float]";
            String help = Type.isArtifact(element == null ? t : element)
                    ? "artifacts are files; `" + name + "` takes numbers: have the step write the number as an output"
                    : pair && Type.isNumeric(Type.strip(t)) ? "write `" + name + "(a, b)` of two numbers, or `" + name
                            + "(xs)` of a list"
                    : element instanceof Type.Never ? "the list is empty, and `" + name + "` of nothing "
                            + (name.equals("sum") ? "is 0: write `0`" : "fails (an empty list has no " + name + ")")
                    : "`" + name + "` takes a list of numbers, such as `t.acc` of a loop's step";
            ctx.report(Diagnostic.of(Code.E0201, arg.span(), expected, t.display()).withHelp(help));
            return name.equals("mean") ? Type.FLOAT : Type.ERROR;
        }
        return name.equals("mean") ? Type.FLOAT : element;
    }

    /** The type of one number given to {@code min}/{@code max}; null (reported) when it is no Int or Float. */
    private Type numberArgument(Ast.Expr arg, String name) {
        Type t = value(arg, false);
        if (t instanceof Type.Error) {
            return null;
        }
        if (Type.isNumeric(t)) {
            return t;
        }
        Diagnostic hint = liftHint(arg, t, Type.strip(t));
        ctx.report(hint != null ? hint : Diagnostic.of(Code.E0201, arg.span(), "Int or Float", t.display())
                .withHelp(t instanceof Type.ListOf ? "`" + name + "` of two values takes two numbers; of a list, write `"
                        + name + "(" + shortText(arg) + ")` alone"
                        : Type.strip(t) instanceof Type.Scalar s && Type.isNumeric(s) ? "test it for null first:"
                                + " `if " + shortText(arg) + " != null { ... }`"
                        : "`" + name + "` compares numbers; convert with `int()` or `float()`"));
        return null;
    }

    /**
     * {@code pvc("claim")}, {@code pvc("claim", read_only = true)}: the claim's name a constant Kubernetes name (it is
     * written into the manifest, and names a folder locally), {@code read_only} a constant Bool.
     */
    private Type pvc(Ast.Call c) {
        String usage = "write `pvc(\"claim-name\")` or `pvc(\"claim-name\", read_only = true)`";
        List<Ast.Arg> args = c.args();
        if (args.isEmpty() || args.get(0).name() != null) {
            ctx.report(Diagnostic.of(Code.E0218, c.span(), "pvc", "the claim's name first", args.isEmpty() ? "nothing"
                    : "`" + args.get(0).name().name() + " = ...`").withHelp(usage));
        }
        for (int i = 0; i < args.size(); i++) {
            Ast.Arg a = args.get(i);
            Type t = value(a.value(), false);
            if (i == 0 && a.name() == null) {
                if (!(a.value() instanceof Ast.StringLit s && s.constant() != null)) {
                    if (!(t instanceof Type.Error)) {
                        ctx.report(Diagnostic.of(Code.E0201, a.value().span(), "a constant String", t.display())
                                .withHelp("the claim's name is a constant string, `pvc(\"datasets\")`; to choose it when"
                                        + " running, declare a pipeline parameter `data: Volume` and pass `--param data=CLAIM`"));
                    }
                } else if (!Type.Volume.isClaimName(s.constant())) {
                    ctx.report(Diagnostic.of(Code.E0501, a.value().span(), "claim name", s.constant(),
                            "a PersistentVolumeClaim's name: lower-case letters, digits, `-` and `.`, starting and ending"
                                    + " with a letter or digit, at most 253 characters"));
                }
            } else if (i == 1 && a.name() != null && a.name().name().equals("read_only")) {
                if (!(a.value() instanceof Ast.BoolLit) && !(t instanceof Type.Error)) {
                    ctx.report(Diagnostic.of(Code.E0201, a.value().span(), "Bool", t.display())
                            .withHelp("`read_only` is `true` or `false`, written as it is"));
                }
            } else if (i > 0) {
                ctx.report(Diagnostic.of(Code.E0210, a.span(), "builtin `pvc` takes the claim's name and `read_only`")
                        .withHelp(usage));
            }
        }
        return Type.VOLUME;
    }

    private static Type resultOf(String builtin) {
        return switch (builtin) {
            case "len", "int" -> Type.INT;
            case "float" -> Type.FLOAT;
            default -> Type.STRING;
        };
    }

    /**
     * {@code oneof(a.x, b.x)}: each argument leaves an {@code if} (the outermost statement it crosses),
     * all the same one, each from its own branch. A {@code T} when every branch, {@code else} included,
     * gives one; a {@code T?} otherwise.
     */
    private Type oneof(Ast.Call c, boolean top) {
        if (!top) {
            ctx.report(Diagnostic.of(Code.E0403, c.callee().span(),
                    "it is part of a larger expression; it must be the whole value"));
        }
        if (c.args().isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0218, c.span(), "oneof", "at least one argument", "0"));
            return Type.ERROR;
        }
        Ast.If theIf = null;
        Map<Integer, Ast.Expr> branches = new HashMap<>();
        Type joined = Type.NEVER;
        boolean failed = false;
        for (Ast.Arg a : c.args()) {
            Ast.Expr arg = a.value();
            if (arg instanceof Ast.Call inner && "oneof".equals(inner.callee().name()) && inner.qualifier() == null) {
                ctx.report(Diagnostic.of(Code.E0403, inner.callee().span(), "it is nested in another `oneof`"));
                value(inner, true);
                failed = true;
                continue;
            }
            Type t = value(arg, false);
            Checked.Reference ref = ctx.checked.references.get(arg);
            if (t instanceof Type.Error) {
                failed = true;
                continue;
            }
            List<Crossing> crossings = ref == null ? List.of() : crossingsOf(arg);
            Crossing last = crossings.isEmpty() ? null : crossings.get(crossings.size() - 1);
            if (last == null || !(last.stmt() instanceof Ast.If i)) {
                ctx.report(Diagnostic.of(Code.E0404, arg.span(), arg.span().text()));
                failed = true;
                continue;
            }
            if (theIf == null) {
                theIf = i;
            } else if (theIf != i) {
                ctx.report(Diagnostic.of(Code.E0406, arg.span(), "`" + arg.span().text() + "` comes from another `if` than `"
                        + c.args().get(0).value().span().text() + "`"));
                failed = true;
                continue;
            }
            Ast.Expr other = branches.putIfAbsent(last.block(), arg);
            if (other != null) {
                ctx.report(Diagnostic.of(Code.E0406, arg.span(), "`" + arg.span().text() + "` and `" + other.span().text()
                        + "` come from the same branch"));
                failed = true;
                continue;
            }
            Type inside = lift(baseType(ref.target()), crossings.subList(0, crossings.size() - 1));
            Type j = Type.join(joined, inside);
            if (j == null) {
                ctx.report(Diagnostic.of(Code.E0204, arg.span(), "`" + joined.display() + "` and `" + inside.display() + "`"));
                failed = true;
            } else {
                joined = j;
            }
        }
        if (failed || theIf == null) {
            return Type.ERROR;
        }
        int branchCount = theIf.branches().size() + (theIf.elseBlock() != null ? 1 : 0);
        boolean complete = theIf.elseBlock() != null && branches.size() == branchCount;
        return complete ? joined : Type.optional(joined);
    }

    private List<Crossing> crossingsOf(Ast.Expr use) {
        return ctx.crossings.getOrDefault(use, List.of());
    }

    private static Type baseType(Symbol s) {
        if (s instanceof Symbol.StepOutput so) {
            return so.output().type();
        }
        if (s instanceof Symbol.Value v) {
            return v.type();
        }
        return Type.ERROR;
    }

    private Type unary(Ast.Unary u) {
        Type t = value(u.operand(), false);
        if (t instanceof Type.Error) {
            return u.op() == Ast.UnaryOp.NOT ? Type.BOOL : Type.ERROR;
        }
        if (u.op() == Ast.UnaryOp.NOT) {
            if (!t.equals(Type.BOOL)) {
                operatorError(u.operand(), t, "not", "`" + t.display() + "`");
            }
            return Type.BOOL;
        }
        if (!Type.isNumeric(t)) {
            operatorError(u.operand(), t, "-", "`" + t.display() + "`");
            return Type.ERROR;
        }
        return t;
    }

    private void operatorError(Ast.Expr operand, Type t, String op, String operands) {
        Diagnostic hint = liftHint(operand, t, Type.strip(t) instanceof Type.ListOf l ? l.element() : Type.strip(t));
        ctx.report(hint != null ? hint : Diagnostic.of(Code.E0208, operand.span(), op, operands));
    }

    private Type binary(Ast.Binary b) {
        Type l = value(b.left(), false);
        Ast.BinaryOp op = b.op();
        if ((op == Ast.BinaryOp.EQ || op == Ast.BinaryOp.NE) && Type.strip(l).equals(Type.STRING)
                && b.right() instanceof Ast.Name word) {
            comparedWithText = word;
        }
        // both backends evaluate the right side of `&&` only when the left held, of `||` only when it failed
        int before = provenByLeft.size();
        if (op == Ast.BinaryOp.AND || op == Ast.BinaryOp.OR) {
            Narrowing.proven(b.left(), op == Ast.BinaryOp.AND, provenByLeft);
        }
        Type r = value(b.right(), false);
        provenByLeft.subList(before, provenByLeft.size()).clear();
        boolean comparison = switch (op) {
            case LT, LE, GT, GE, EQ, NE, AND, OR -> true;
            default -> false;
        };
        if (l instanceof Type.Error || r instanceof Type.Error) {
            return comparison ? Type.BOOL : Type.ERROR;
        }
        switch (op) {
            case AND, OR -> {
                if (!l.equals(Type.BOOL) || !r.equals(Type.BOOL)) {
                    binaryError(b, l, r);
                }
                return Type.BOOL;
            }
            case EQ, NE -> {
                boolean ok = Type.isNumeric(l) && Type.isNumeric(r) || Type.join(l, r) != null;
                if (!ok) {
                    compareError(b, l, r);
                } else {
                    constantNullTest(b, b.right() instanceof Ast.NullLit ? b.left() : b.right(), l, r);
                }
                return Type.BOOL;
            }
            case LT, LE, GT, GE -> {
                boolean ok = Type.isNumeric(l) && Type.isNumeric(r)
                        || l.equals(r) && (l.equals(Type.STRING) || l.equals(Type.DURATION));
                if (!ok) {
                    compareError(b, l, r);
                }
                return Type.BOOL;
            }
            case ADD -> {
                if (Type.isNumeric(l) && Type.isNumeric(r)) {
                    return l.equals(Type.INT) && r.equals(Type.INT) ? Type.INT : Type.FLOAT;
                }
                if (l.equals(Type.STRING) && r.equals(Type.STRING)) {
                    return Type.STRING;
                }
                if (l instanceof Type.ListOf && r instanceof Type.ListOf) {
                    Type j = Type.join(l, r);
                    if (j != null) {
                        return j;
                    }
                }
                binaryError(b, l, r);
                return Type.ERROR;
            }
            default -> {
                if (Type.isNumeric(l) && Type.isNumeric(r)) {
                    return l.equals(Type.INT) && r.equals(Type.INT) ? Type.INT : Type.FLOAT;
                }
                binaryError(b, l, r);
                return Type.ERROR;
            }
        }
    }

    /**
     * W0010: {@code name != null} of a {@code name: String} is always true (a KFP habit, {@code if x != None}): only a
     * {@code T?} can be null. Not for a {@code T?} narrowed by an enclosing test (its declared type is optional), nor for
     * {@code null == null} or an {@code if}'s whole test that is constant, which E0407 reports.
     */
    private void constantNullTest(Ast.Binary b, Ast.Expr tested, Type l, Type r) {
        Type t = tested == b.left() ? l : r;
        if (!(b.left() instanceof Ast.NullLit || b.right() instanceof Ast.NullLit) || t instanceof Type.Optional
                || t instanceof Type.Null || t instanceof Type.Never
                || Narrowing.isPath(tested) && scope.provenNotNull(tested, provenByLeft)
                || b == ifTest && new Constants(ctx.checked).eval(b) != null) {
            return;
        }
        String help = Narrowing.isPath(tested)
                ? "declare it `" + Type.optional(t).display() + "` if it may be missing, or drop the test"
                : "drop the test";
        ctx.warn(module, Diagnostic.of(Code.W0010, b.span(), tested.span().text(), t.display(), b.span().text(),
                String.valueOf(b.op() == Ast.BinaryOp.NE), help));
    }

    private void binaryError(Ast.Binary b, Type l, Type r) {
        Diagnostic hint = sideHint(b, l, r);
        Diagnostic d = Diagnostic.of(Code.E0208, b.span(), b.op().symbol, "`" + l.display() + "` and `" + r.display() + "`");
        if (hint == null && b.op().symbol.equals("%") && Type.strip(l).equals(Type.STRING)) {
            // Python's "acc=%s" % x
            d = d.withHelp("there is no `%` formatting: a string interpolates `${...}` itself, e.g. `\"acc=${fit.accuracy}\"`");
        }
        ctx.report(hint != null ? hint : d);
    }

    private void compareError(Ast.Binary b, Type l, Type r) {
        Diagnostic hint = sideHint(b, l, r);
        Ast.Expr optional = l instanceof Type.Optional o && Type.join(o.inner(), r) != null ? b.left()
                : r instanceof Type.Optional o && Type.join(o.inner(), l) != null ? b.right() : null;
        if (hint == null && optional != null && Narrowing.isPath(optional)) {
            // `n > 0` of an `n: Int? = null`: the test that makes it an Int goes first
            String x = optional.span().text();
            hint = Diagnostic.of(Code.E0205, b.span(), l.display(), r.display()).withHelp("`" + x + "` may be null: test it"
                    + " first, `" + x + " != null && " + b.span().text() + "` compares it only when it is set");
        }
        ctx.report(hint != null ? hint : Diagnostic.of(Code.E0205, b.span(), l.display(), r.display()));
    }

    /** When one side is a loop's list or an `if`'s optional and the other the plain type, say so. */
    private Diagnostic sideHint(Ast.Binary b, Type l, Type r) {
        Diagnostic h = liftHint(b.left(), l, r);
        return h != null ? h : liftHint(b.right(), r, l);
    }

    static boolean isBuiltinCall(Ast.Expr e, String name) {
        return e instanceof Ast.Call c && c.qualifier() == null && c.callee().name().equals(name);
    }

    static final Set<String> RUN_FIELDS = RUN.fields().keySet();
}
