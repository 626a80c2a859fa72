package dev.freestone.lsp;

import dev.freestone.check.Checked;
import dev.freestone.check.Checker;
import dev.freestone.check.Symbol;
import dev.freestone.check.Type;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the editor shows over a name: a line of {@code .pipe} saying what the name is and its type (the
 * type the checker gave this very use, so {@code fit.model} after a loop reads {@code List[Model]}),
 * then the doc comments ({@code ///}) of the declaration.
 */
final class Hovers {
    /**
     * A builtin function as people read it: its parameters as written in its signature ({@code read_only = false}),
     * what it gives (null where that depends on its arguments), and what it does. The checker knows its rules.
     */
    record BuiltinFunction(String name, List<String> params, String result, String description) {
        /** {@code secret(name, key)}, {@code len(x) -> Int}. */
        String signature() {
            return name + "(" + String.join(", ", params) + ")" + (result == null ? "" : " -> " + result);
        }

        /** A parameter's name: its signature text up to the first space ({@code read_only}). */
        static String paramName(String param) {
            int space = param.indexOf(' ');
            return space < 0 ? param : param.substring(0, space);
        }
    }

    /** The builtin functions by name, for hover, signature help and completion. */
    static final Map<String, BuiltinFunction> BUILTINS = java.util.stream.Stream.of(
            new BuiltinFunction("len", List.of("x"), "Int", "the length of a List, Map or String"),
            new BuiltinFunction("str", List.of("x"), "String", "converts a value to text"),
            new BuiltinFunction("int", List.of("x"), "Int", "converts a Float or a String to an Int"),
            new BuiltinFunction("float", List.of("x"), "Float", "converts an Int or a String to a Float"),
            new BuiltinFunction("json", List.of("x"), "String", "the JSON text of any value"),
            new BuiltinFunction("min", List.of("xs"), null, "the least of a List[Int] or List[Float] (nulls left out;"
                    + " an empty list fails), or of two numbers: `min(a, b)`"),
            new BuiltinFunction("max", List.of("xs"), null, "the greatest of a List[Int] or List[Float] (nulls left out;"
                    + " an empty list fails), or of two numbers: `max(a, b)`"),
            new BuiltinFunction("sum", List.of("xs"), null, "the total of a List[Int] (an Int) or List[Float] (a Float);"
                    + " nulls left out, 0 of an empty list"),
            new BuiltinFunction("mean", List.of("xs"), "Float", "the average of a List[Int] or List[Float] (nulls left out;"
                    + " an empty list fails)"),
            new BuiltinFunction("oneof", List.of("a", "b", "..."), null, "the value of the branch of an `if` that ran"),
            new BuiltinFunction("secret", List.of("name", "key"), null,
                    "a Kubernetes secret reference, only as an `env` value"),
            new BuiltinFunction("pvc", List.of("claim", "read_only = false"), "Volume",
                    "a PersistentVolumeClaim, only as a component's `Volume` input"))
            .collect(java.util.stream.Collectors.toUnmodifiableMap(BuiltinFunction::name, f -> f));

    /** Short descriptions of the builtin functions: the signature, then what it does. */
    static final Map<String, String> BUILTIN_FUNCTIONS = BUILTINS.values().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(BuiltinFunction::name, f -> f.signature() + ": " + f.description()));

    private Hovers() {
    }

    /** Markdown for the occurrence, or null when there is nothing to say. */
    static String markdown(Checked program, Occurrence at) {
        Symbol symbol = at.symbol();
        Ast.Node node = at.node();
        List<String> docs = new ArrayList<>();
        String code = describe(program, symbol, node, docs);
        if (code == null) {
            return null;
        }
        StringBuilder out = new StringBuilder("```pipe\n").append(code).append("\n```");
        for (String doc : docs) {
            if (doc != null && !doc.isBlank()) {
                out.append("\n\n").append(doc.strip());
            }
        }
        return out.toString();
    }

    /** "Holds mutex `gpu` while it runs: ...", or null for none. */
    private static String holds(List<String> mutexes, String when) {
        if (mutexes.isEmpty()) {
            return null;
        }
        return "Holds mutex " + String.join(", ", mutexes.stream().map(m -> "`" + m + "`").toList()) + " " + when
                + ": it waits while another step or run holds " + (mutexes.size() == 1 ? "it" : "one of them") + ".";
    }

    private static String describe(Checked program, Symbol symbol, Ast.Node node, List<String> docs) {
        if (symbol instanceof Symbol.Component c) {
            docs.add(c.decl().doc());
            return signature("component", c.name(), c.decl().params(), c.decl().outputs());
        }
        if (symbol instanceof Symbol.Pipeline p) {
            docs.add(p.decl().doc());
            docs.add(holds(program.mutexesOf(p), "while it runs"));
            Long timeout = program.timeoutOf(p);
            if (timeout != null) {
                docs.add("A run of it stops after " + dev.freestone.ir.ValueText.durationLiteral(timeout) + " (its `timeout`):"
                        + " its running steps are stopped and fail, its `finally` block still runs.");
            }
            return signature("pipeline", p.name(), p.decl().params(), p.decl().outputs());
        }
        if (symbol instanceof Symbol.Input in) {
            docs.add(in.decl().doc());
            return "(input of " + in.owner() + ") " + param(in.decl(), typeOf(program, node, in.type()));
        }
        if (symbol instanceof Symbol.Output out) {
            docs.add(out.decl().doc());
            return "(output of " + out.owner() + ") " + out.name() + ": " + display(out.type());
        }
        if (symbol instanceof Symbol.Step step) {
            docs.add(step.bind().doc());
            Symbol.Callable callee = step.callee();
            docs.add(callee instanceof Symbol.Component c ? c.decl().doc() : ((Symbol.Pipeline) callee).decl().doc());
            docs.add(holds(program.mutexesOf(step), "while it runs"));
            StringBuilder s = new StringBuilder("(step) ").append(step.id()).append(" = ").append(callee.name())
                    .append("(...) -> (");
            for (int i = 0; i < callee.outputs().size(); i++) {
                Symbol.Output o = callee.outputs().get(i);
                s.append(i == 0 ? "" : ", ").append(o.name()).append(": ").append(display(o.type()));
            }
            return s.append(")").toString();
        }
        if (symbol instanceof Symbol.StepOutput so) {
            docs.add(so.output().decl().doc());
            return "(output of step " + so.step().id() + ") " + so.step().id() + "." + so.name() + ": "
                    + display(typeOf(program, node, so.output().type()));
        }
        if (symbol instanceof Symbol.Value v) {
            docs.add(v.bind().doc());
            return "(value) " + v.name() + ": " + display(typeOf(program, node, v.type()));
        }
        if (symbol instanceof Symbol.LoopVar lv) {
            return "(loop variable) " + lv.name() + ": " + display(typeOf(program, node, lv.type()));
        }
        if (symbol instanceof Symbol.Field f) {
            docs.add(f.decl().doc());
            return "(field of " + f.owner().name() + ") " + f.name() + ": " + display(typeOf(program, node, f.type()));
        }
        if (symbol instanceof Symbol.StructDef s) {
            docs.add(s.decl().doc());
            StringBuilder b = new StringBuilder("struct ").append(s.name()).append(" {");
            for (Map.Entry<String, Type> e : s.type().fields().entrySet()) {
                b.append("\n  ").append(e.getKey()).append(": ").append(display(e.getValue()));
            }
            return b.append(s.type().fields().isEmpty() ? "}" : "\n}").toString();
        }
        if (symbol instanceof Symbol.ArtifactDef a) {
            docs.add(a.decl().doc());
            return "artifact " + a.name() + " : " + (a.type().parent() == null ? "Artifact" : a.type().parent().name());
        }
        if (symbol instanceof Symbol.ImportAlias alias) {
            docs.add(alias.decl().doc());
            Ast.Import imp = alias.decl();
            String path = imp.quoted() ? "\"" + imp.path() + "\"" : imp.path();
            String target = alias.target() == null ? " (not loaded)" : "";
            return "import " + path + " as " + alias.name() + target;
        }
        if (symbol instanceof Symbol.BuiltinType t) {
            // a built-in struct (`Failure`, of run.failures) shows its fields, as nothing in the file declares them
            return "(builtin type) " + t.name() + (t.type() instanceof Type.Struct st ? " { " + st.fields().entrySet().stream()
                    .map(f -> f.getKey() + ": " + display(f.getValue())).collect(java.util.stream.Collectors.joining(", ")) + " }" : "");
        }
        if (symbol instanceof Symbol.Builtin b) {
            return "(builtin) " + BUILTIN_FUNCTIONS.getOrDefault(b.name(), b.name());
        }
        if (symbol instanceof Symbol.Run r) {
            return r.field() == null ? "(run metadata) run: " + runFieldNames()
                    : "(run metadata) " + r.name() + ": " + display(Checker.runFields().get(r.field()));
        }
        return null;
    }

    /** The type the checker gave this use; the declared type where the use has none (declarations). */
    private static Type typeOf(Checked program, Ast.Node node, Type declared) {
        if (node instanceof Ast.Expr e) {
            Type t = program.typeOf(e);
            if (!(t instanceof Type.Error)) {
                return t;
            }
        }
        return declared;
    }

    /** {@code id, name, status}: the fields of {@code run}, as the checker knows them. */
    static String runFieldNames() {
        return String.join(", ", Checker.runFields().keySet());
    }

    static String display(Type t) {
        return t == null ? "?" : t.display();
    }

    static String signature(String keyword, String name, List<Ast.Param> params, List<Ast.Field> outputs) {
        return keyword + ' ' + signature(name, params, outputs).text();
    }

    /** A callable's signature on one line, and where in it each parameter stands (start, end). */
    record Signature(String text, List<int[]> params) {
    }

    /** {@code name(input: Type = default, ...) -> (output: Type, ...)}, types and defaults as written. */
    static Signature signature(String name, List<Ast.Param> params, List<Ast.Field> outputs) {
        StringBuilder s = new StringBuilder(name).append('(');
        List<int[]> places = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            s.append(i == 0 ? "" : ", ");
            int start = s.length();
            s.append(param(params.get(i), null));
            places.add(new int[] {start, s.length()});
        }
        s.append(')');
        if (!outputs.isEmpty()) {
            s.append(" -> (");
            for (int i = 0; i < outputs.size(); i++) {
                Ast.Field f = outputs.get(i);
                s.append(i == 0 ? "" : ", ").append(f.name().name()).append(": ").append(written(f.type()));
            }
            s.append(')');
        }
        return new Signature(s.toString(), places);
    }

    /** {@code name: Type = default}, the type and default as written (or the given type). */
    static String param(Ast.Param p, Type type) {
        String t = type != null ? type.display() : written(p.type());
        return p.name().name() + ": " + t + (p.defaultValue() == null ? "" : " = " + written(p.defaultValue()));
    }

    /** A node's text as the user wrote it ({@code ?} where the parser had nothing). */
    static String written(Ast.Node node) {
        return node == null ? "?" : node.span().text();
    }
}
