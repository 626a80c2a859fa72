package dev.freestone.check;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declarations of one module: import aliases, struct and artifact types, and the signatures of
 * components and pipelines. Runs on a module after the modules it imports, so their members exist.
 */
final class Declarations {
    private final Ctx ctx;
    private final Module module;
    /** Declarations by name before they become symbols (types may refer to each other in any order). */
    private final Map<String, Ast.Decl> byName = new LinkedHashMap<>();
    private final java.util.LinkedHashSet<String> resolving = new java.util.LinkedHashSet<>();
    private final Map<String, Type> resolved = new HashMap<>();

    Declarations(Ctx ctx, Module module) {
        this.ctx = ctx;
        this.module = module;
    }

    void declare() {
        List<Ast.Decl> duplicates = new ArrayList<>();
        for (Ast.Decl d : module.file().decls()) {
            String name = d.name().name();
            if (name.isEmpty()) {
                continue; // a partial declaration from broken input: the parser reported it
            }
            Ast.Decl previous = byName.get(name);
            if (previous != null) {
                ctx.report(Diagnostic.of(Code.E0108, d.name().span(), name, name, Ctx.at(previous.name().span())));
                duplicates.add(d);
                continue;
            }
            if ((d instanceof Ast.StructDecl || d instanceof Ast.ArtifactDecl) && Type.builtinNames().contains(name)) {
                // the written type `Failure` would mean the built-in one, never this declaration
                ctx.report(Diagnostic.of(Code.E0108, d.name().span(), name, name, "")
                        .withHelp("`" + name + "` is a built-in type; rename this one"));
                duplicates.add(d);
                continue;
            }
            byName.put(name, d);
            if (d instanceof Ast.Import imp) {
                Symbol.ImportAlias alias = new Symbol.ImportAlias(name, module, ctx.importTargets.get(imp), imp);
                module.imports.put(name, alias);
                ctx.checked.symbols.put(imp.name(), alias);
            }
        }
        for (Ast.Decl d : byName.values()) {
            if (d instanceof Ast.ArtifactDecl || d instanceof Ast.StructDecl) {
                typeOfDecl(d.name().name(), d.name());
            }
        }
        for (Ast.Decl d : byName.values()) {
            callable(d).ifPresent(sym -> module.members.put(sym.name(), sym));
        }
        for (Ast.Decl d : duplicates) {
            callable(d).ifPresent(module.duplicates::add);
        }
    }

    /** The symbol of a component or pipeline declaration (with its parameters checked); empty for others. */
    private java.util.Optional<Symbol.Callable> callable(Ast.Decl d) {
        if (d instanceof Ast.ComponentDecl c) {
            List<Symbol.Input> inputs = inputs(c.name().name(), c.params());
            List<Symbol.Output> outputs = outputs(c.name().name(), c.outputs());
            Map<String, Symbol.Input> byInput = new HashMap<>();
            inputs.forEach(i -> byInput.put(i.name(), i));
            for (Symbol.Output o : outputs) {
                Symbol.Input clash = byInput.get(o.name());
                if (clash != null) {
                    // a command names inputs and outputs alike, so they must differ
                    ctx.report(Diagnostic.of(Code.E0108, o.span(), o.name(), o.name(), Ctx.at(clash.span())));
                }
            }
            Symbol.Component sym = new Symbol.Component(c.name().name(), module, c, inputs, outputs,
                    resultType(c.name().name(), outputs));
            ctx.checked.symbols.put(c.name(), sym);
            return java.util.Optional.of(sym);
        }
        if (d instanceof Ast.PipelineDecl p) {
            List<Symbol.Input> inputs = inputs(p.name().name(), p.params());
            List<Symbol.Output> outputs = outputs(p.name().name(), p.outputs());
            Symbol.Pipeline sym = new Symbol.Pipeline(p.name().name(), module, p, inputs, outputs,
                    resultType(p.name().name(), outputs));
            ctx.checked.symbols.put(p.name(), sym);
            return java.util.Optional.of(sym);
        }
        return java.util.Optional.empty();
    }

    private static Type.Record resultType(String callee, List<Symbol.Output> outputs) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (Symbol.Output o : outputs) {
            fields.putIfAbsent(o.name(), o.type());
        }
        return new Type.Record("outputs of `" + callee + "`", fields);
    }

    private List<Symbol.Input> inputs(String owner, List<Ast.Param> params) {
        List<Symbol.Input> out = new ArrayList<>();
        Map<String, Ast.Param> seen = new HashMap<>();
        for (Ast.Param p : params) {
            Ast.Param previous = seen.putIfAbsent(p.name().name(), p);
            if (previous != null) {
                ctx.report(Diagnostic.of(Code.E0108, p.name().span(), p.name().name(), p.name().name(),
                        Ctx.at(previous.name().span())));
                continue;
            }
            volumeHere = true;
            Symbol.Input in = new Symbol.Input(p.name().name(), resolve(p.type()), p, owner);
            volumeHere = false;
            ctx.checked.symbols.put(p.name(), in);
            out.add(in);
        }
        return List.copyOf(out);
    }

    private List<Symbol.Output> outputs(String owner, List<Ast.Field> fields) {
        List<Symbol.Output> out = new ArrayList<>();
        Map<String, Ast.Field> seen = new HashMap<>();
        for (Ast.Field f : fields) {
            Ast.Field previous = seen.putIfAbsent(f.name().name(), f);
            if (previous != null) {
                ctx.report(Diagnostic.of(Code.E0108, f.name().span(), f.name().name(), f.name().name(),
                        Ctx.at(previous.name().span())));
                continue;
            }
            outputRef = f.type();
            Symbol.Output o = new Symbol.Output(f.name().name(), resolve(f.type()), f, owner);
            outputRef = null;
            ctx.checked.symbols.put(f.name(), o);
            out.add(o);
        }
        return List.copyOf(out);
    }

    /** The type a struct or artifact declaration of this module defines; resolves it on first use. */
    private Type typeOfDecl(String name, Ast.Ident use) {
        Type known = resolved.get(name);
        if (known != null) {
            return known;
        }
        Ast.Decl d = byName.get(name);
        if (!resolving.add(name)) {
            ctx.report(Diagnostic.of(Code.E0216, use.span(), name, String.join(" -> ", cyclePath(name)) + " -> " + name));
            return Type.ERROR;
        }
        Type t;
        if (d instanceof Ast.ArtifactDecl a) {
            Type.ArtifactType parent = Type.ARTIFACT;
            if (a.parent() != null) {
                Type p = resolve(a.parent());
                if (p instanceof Type.ArtifactType at) {
                    parent = at;
                } else if (!(p instanceof Type.Error)) {
                    ctx.report(Diagnostic.of(Code.E0201, a.parent().span(), "an artifact type", p.display())
                            .withHelp("an artifact type extends `Artifact` or one of its subtypes, e.g. `artifact "
                                    + name + " : Dataset`"));
                }
            }
            Type.ArtifactType at = new Type.ArtifactType(name, parent);
            module.members.put(name, new Symbol.ArtifactDef(name, module, at, a));
            t = at;
        } else {
            Ast.StructDecl s = (Ast.StructDecl) d;
            Map<String, Type> fields = new LinkedHashMap<>();
            Map<String, Ast.Field> seen = new HashMap<>();
            for (Ast.Field f : s.fields()) {
                Ast.Field previous = seen.putIfAbsent(f.name().name(), f);
                if (previous != null) {
                    ctx.report(Diagnostic.of(Code.E0108, f.name().span(), f.name().name(), f.name().name(),
                            Ctx.at(previous.name().span())));
                    continue;
                }
                fields.put(f.name().name(), resolve(f.type()));
            }
            Type.Struct st = new Type.Struct(module.key(), name, fields);
            Symbol.StructDef def = new Symbol.StructDef(name, module, st, s);
            module.members.put(name, def);
            for (Ast.Field f : s.fields()) {
                if (seen.get(f.name().name()) == f) {
                    ctx.checked.symbols.put(f.name(), new Symbol.Field(f.name().name(), fields.get(f.name().name()), def, f));
                }
            }
            t = st;
        }
        resolving.remove(name);
        resolved.put(name, t);
        ctx.checked.symbols.put(d.name(), module.members.get(name));
        return t;
    }

    /** The chain of declarations being resolved, from {@code name} on (a stack kept in insertion order). */
    private List<String> cyclePath(String name) {
        List<String> path = new ArrayList<>(resolving);
        int i = path.indexOf(name);
        return i > 0 ? path.subList(i, path.size()) : path;
    }

    /** The written type being resolved is an input's, where a {@code Volume} may stand (as the whole type). */
    private boolean volumeHere;
    /** The written type of the output being resolved (a {@code Volume} there is told as an output). */
    private Ast.TypeRef outputRef;

    /** The help of {@code alias.Failure}: a built-in type's name, which no module declares (E0108 there if one tried). */
    static String builtinMemberHelp(String name) {
        return "`" + name + "` is a built-in type, which no module can declare: write `" + name + "` without the module's name";
    }

    /** Resolves a written type in this module, reporting E0109, E0111, E0209 and E0219. */
    Type resolve(Ast.TypeRef ref) {
        Type t = resolveUnrecorded(ref);
        ctx.checked.typeRefs.put(ref, t);
        return t;
    }

    private Type resolveUnrecorded(Ast.TypeRef ref) {
        boolean volumeAllowed = volumeHere;
        volumeHere = false; // nor inside it
        if (ref instanceof Ast.OptionalType o) {
            Type inner = resolve(o.inner());
            return inner instanceof Type.Error ? inner : Type.optional(inner);
        }
        Ast.NamedType n = (Ast.NamedType) ref;
        String name = n.name().name();
        if (name.isEmpty()) {
            return Type.ERROR;
        }
        if (n.qualifier() != null) {
            Symbol.ImportAlias alias = module.imports.get(n.qualifier().name());
            if (alias == null) {
                ctx.report(Diagnostic.of(Code.E0109, n.span(), n.qualifier().name() + "." + name)
                        .withHelp(DidYouMean.help(n.qualifier().name(), module.imports.keySet(),
                                "`" + n.qualifier().name() + "` is not an imported module")));
                return Type.ERROR;
            }
            ctx.checked.symbols.put(n.qualifier(), alias);
            ctx.usedAliases.add(alias);
            if (alias.target() == null) {
                return Type.ERROR;
            }
            Symbol member = alias.target().members.get(name);
            Type t = member instanceof Symbol.StructDef s ? s.type()
                    : member instanceof Symbol.ArtifactDef a ? a.type() : null;
            if (t == null) {
                List<String> types = typeNames(alias.target());
                ctx.report(Diagnostic.of(Code.E0111, n.name().span(), alias.name(), name, alias.name(), Ctx.list(types))
                        .withHelp(Type.BUILTIN.containsKey(name) ? builtinMemberHelp(name)
                                : DidYouMean.help(name, types, "the types of `" + alias.name() + "` are: " + Ctx.list(types))));
                return Type.ERROR;
            }
            ctx.checked.symbols.put(n, member);
            return typeArgsNone(n, t);
        }
        if (name.equals("List")) {
            ctx.checked.symbols.put(n, new Symbol.BuiltinType("List", null));
            if (n.args().size() != 1) {
                ctx.report(Diagnostic.of(Code.E0209, n.span(), "List",
                        "`List` takes one type argument, found " + n.args().size()));
                n.args().forEach(this::resolve);
                return Type.ERROR;
            }
            Type e = resolve(n.args().get(0));
            return e instanceof Type.Error ? e : new Type.ListOf(e);
        }
        if (name.equals("Map")) {
            ctx.checked.symbols.put(n, new Symbol.BuiltinType("Map", null));
            if (n.args().size() != 2) {
                ctx.report(Diagnostic.of(Code.E0209, n.span(), "Map",
                        "`Map` takes two type arguments, found " + n.args().size()));
                n.args().forEach(this::resolve);
                return Type.ERROR;
            }
            Type k = resolve(n.args().get(0));
            Type v = resolve(n.args().get(1));
            if (!k.equals(Type.STRING) && !(k instanceof Type.Error)) {
                ctx.report(Diagnostic.of(Code.E0209, n.args().get(0).span(), "Map",
                        "the key type must be `String`, found `" + k.display() + "`"));
                return Type.ERROR;
            }
            return v instanceof Type.Error || k instanceof Type.Error ? Type.ERROR : new Type.MapOf(v);
        }
        Type builtin = Type.BUILTIN.get(name);
        if (builtin instanceof Type.Volume && !volumeAllowed) {
            ctx.checked.symbols.put(n, new Symbol.BuiltinType(name, builtin));
            ctx.report(Diagnostic.of(Code.E0219, n.span(), ref == outputRef ? "an output's type"
                            : "part of another type (a list, map, optional or struct field)",
                    "a Volume is a claim mounted into a step, not a value it returns or holds: declare it alone, as a"
                            + " component input or a pipeline parameter (`data: Volume`)"));
            return Type.ERROR;
        }
        if (builtin != null) {
            ctx.checked.symbols.put(n, new Symbol.BuiltinType(name, builtin));
            return typeArgsNone(n, builtin);
        }
        Ast.Decl d = byName.get(name);
        if (d instanceof Ast.StructDecl || d instanceof Ast.ArtifactDecl) {
            Type t = typeOfDecl(name, n.name());
            Symbol s = module.members.get(name);
            if (s != null) {
                ctx.checked.symbols.put(n, s);
            }
            return t instanceof Type.Error ? t : typeArgsNone(n, t);
        }
        List<String> candidates = new ArrayList<>(Type.builtinNames());
        for (Map.Entry<String, Ast.Decl> e : byName.entrySet()) {
            if (e.getValue() instanceof Ast.StructDecl || e.getValue() instanceof Ast.ArtifactDecl) {
                candidates.add(e.getKey());
            }
        }
        Diagnostic diag = Diagnostic.of(Code.E0109, n.name().span(), name);
        var close = DidYouMean.closest(name, candidates);
        String python = pythonTypeHelp(n);
        if (python != null) {
            diag = diag.withHelp(python);
        } else if (close.isPresent()) {
            diag = diag.withHelp("did you mean `" + close.get() + "`?");
        } else if (d != null) {
            diag = diag.withHelp("`" + name + "` is a " + kind(d) + ", not a type");
        }
        ctx.report(diag);
        n.args().forEach(this::resolve);
        return Type.ERROR;
    }

    /**
     * Python's and KFP's names of types, which users coming from KFP's DSL write out of habit, and Java's boxed ones,
     * which no spelling distance leads to (`Integer` is three letters from `Int`, as far as from any other).
     */
    private static final Map<String, String> PYTHON_TYPES = Map.of(
            "str", "String", "int", "Int", "float", "Float", "bool", "Bool", "list", "List[T]",
            "dict", "Map[String, T]", "Dict", "Map[String, T]", "Integer", "Int", "Long", "Int", "Double", "Float");

    private static String pythonTypeHelp(Ast.NamedType n) {
        String name = n.name().name();
        String arg = n.args().size() == 1 ? spelledHere(n.args().get(0)) : "T";
        if (PYTHON_TYPES.containsKey(name)) {
            return "did you mean `" + PYTHON_TYPES.get(name) + "`?";
        }
        return switch (name) {
            case "Optional" -> "write `" + arg + "?`";
            case "Input", "InputPath" -> "write the artifact type itself (`" + arg
                    + "`): a step reads an artifact input as a path";
            case "Output", "OutputPath" -> "write `NAME: " + arg
                    + "` in the `-> (...)` list of outputs: a step writes an output at the path it is given";
            default -> null;
        };
    }

    /**
     * A type as written in Python (KFP) as it is written here, for a help: {@code float} is {@code Float},
     * {@code Input[Dataset]} is {@code Dataset}, {@code Optional[float]} is {@code Float?}; anything else as written.
     */
    private static String spelledHere(Ast.TypeRef t) {
        if (!(t instanceof Ast.NamedType n)) {
            return t.span().text();
        }
        String name = n.name().name();
        String scalar = PYTHON_TYPES.get(name);
        if (n.args().isEmpty() && scalar != null && !scalar.contains("[")) {
            return scalar;
        }
        if (n.args().size() == 1 && List.of("Input", "InputPath", "Output", "OutputPath").contains(name)) {
            return spelledHere(n.args().get(0));
        }
        if (n.args().size() == 1 && name.equals("Optional")) {
            return spelledHere(n.args().get(0)) + "?";
        }
        return t.span().text();
    }

    private Type typeArgsNone(Ast.NamedType n, Type t) {
        if (!n.args().isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0209, n.span(), n.name().name(),
                    "`" + n.name().name() + "` takes no type arguments"));
            n.args().forEach(this::resolve);
            return Type.ERROR;
        }
        return t;
    }

    static List<String> typeNames(Module m) {
        List<String> out = new ArrayList<>();
        for (Symbol s : m.members.values()) {
            if (s instanceof Symbol.StructDef || s instanceof Symbol.ArtifactDef) {
                out.add(s.name());
            }
        }
        return out;
    }

    static String kind(Ast.Decl d) {
        if (d instanceof Ast.ComponentDecl) {
            return "component";
        }
        if (d instanceof Ast.PipelineDecl) {
            return "pipeline";
        }
        if (d instanceof Ast.Import) {
            return "module";
        }
        if (d instanceof Ast.StructDecl) {
            return "struct";
        }
        return "artifact type";
    }
}
