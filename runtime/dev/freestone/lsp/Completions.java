package dev.freestone.lsp;

import dev.freestone.check.Checked;
import dev.freestone.check.Checker;
import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.check.Type;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.EditorGrammar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.InsertTextFormat;

/**
 * Completion items for a cursor: after {@code step.} the step's outputs (after {@code alias.} the
 * module's members, after {@code run.} its fields, after a struct value its fields); inside a call at an
 * argument's name the callee's inputs not given yet, with their types; where a type is written the
 * types; elsewhere in a body the names in scope (parameters, steps, values, loop variables, components,
 * pipelines, imports, builtins) and the keywords of statements and expressions; at the top level the
 * keywords of declarations; at the start of a line in a component's body its settings; after
 * {@code after} the steps. Nothing inside
 * strings and comments (the names after {@code freestone:allow} are {@link AllowComments}'), nor where a
 * parameter or a field is named.
 */
final class Completions {
    /** The keywords that start a declaration (and `as` of an import): offered only at the top level. */
    static final Set<String> DECLARATION_KEYWORDS = Set.of("import", "as", "component", "pipeline", "struct", "artifact");

    /** The keywords of a pipeline's statements (and of the `script` setting): none of them starts a value. */
    static final Set<String> PIPELINE_KEYWORDS = Set.of("if", "else", "for", "in", "parallel", "after", "with", "finally",
            "output", "script");

    private Completions() {
    }

    static List<CompletionItem> at(Analysis analysis, String text, int offset) {
        CursorContext ctx = CursorContext.at(text, offset);
        if (ctx.inStringOrComment() || ctx.parameterName()) {
            return List.of();
        }
        Checked program = analysis.program();
        Module module = analysis.root();
        Symbol.Callable enclosing = ctx.topLevel() ? null : enclosing(program, module, offset);
        Items items = new Items();
        if (ctx.dotTarget() != null) {
            members(program, module, enclosing, ctx.dotTarget(), ctx.typePosition(), text, offset, items);
            return items.list();
        }
        if (ctx.typePosition()) {
            types(module, items);
            return items.list();
        }
        if (ctx.call() != null && ctx.call().atArgumentName()) {
            if (arguments(module, ctx.call(), items)) {
                return items.list();
            }
        }
        if (ctx.withBlock() != null) {
            // the settings a pipeline's own `with { ... }` or a call's may hold
            for (String setting : ctx.withBlock() == CursorContext.WithBlock.PIPELINE ? Checker.pipelineSettings()
                    : Checker.callSettings()) {
                items.add(setting, CompletionItemKind.Property, "setting", null);
            }
            return items.list();
        }
        if (enclosing instanceof Symbol.Pipeline p && ctx.afterClause()) {
            // `after` waits for steps
            steps(program, p, items);
            return items.list();
        }
        if (enclosing instanceof Symbol.Pipeline p) {
            scope(program, p, text, offset, items);
            callables(module, items);
            for (String f : Checker.builtinFunctions()) {
                items.add(f, CompletionItemKind.Function, Hovers.BUILTIN_FUNCTIONS.getOrDefault(f, "builtin"), null);
            }
            items.add("run", CompletionItemKind.Variable, "run metadata: " + Hovers.runFieldNames(), null);
        } else if (enclosing instanceof Symbol.Component && ctx.bodyLineStart()) {
            // a component's body is its settings
            for (String setting : Checker.componentSettings()) {
                items.add(setting, CompletionItemKind.Property, "setting", null);
            }
            return items.list();
        } else if (enclosing instanceof Symbol.Component c) {
            for (Symbol.Input in : c.inputs()) {
                items.add(in.name(), CompletionItemKind.Variable, "input: " + Hovers.display(in.type()), null);
            }
            for (Symbol.Output o : c.outputs()) {
                items.add(o.name(), CompletionItemKind.Variable, "output: " + Hovers.display(o.type()), null);
            }
        }
        boolean inComponent = enclosing instanceof Symbol.Component;
        for (String k : EditorGrammar.keywords()) {
            // declarations at the top level, the rest inside them; a component's values have no statements
            if (DECLARATION_KEYWORDS.contains(k) == ctx.topLevel() && !(inComponent && PIPELINE_KEYWORDS.contains(k))) {
                items.add(k, CompletionItemKind.Keyword, "keyword", null);
            }
        }
        return items.list();
    }

    /**
     * The component or pipeline around the offset: the one whose declaration contains it or, while its
     * body is still being typed (no closing brace yet, so the parsed declaration ends early), the last
     * one declared before it.
     */
    private static Symbol.Callable enclosing(Checked program, Module module, int offset) {
        Symbol.Callable before = null;
        for (Ast.Decl d : module.file().decls()) {
            if ((d instanceof Ast.PipelineDecl || d instanceof Ast.ComponentDecl) && d.span().start() <= offset
                    && program.symbolOf(d.name()) instanceof Symbol.Callable c) {
                if (offset <= d.span().end()) {
                    return c;
                }
                before = c;
            } else if (d.span().start() <= offset) {
                before = null;
            }
        }
        return before;
    }

    private static void members(Checked program, Module module, Symbol.Callable enclosing, String target,
            boolean typePosition, String text, int offset, Items items) {
        Symbol.ImportAlias alias = module.imports().get(target);
        if (alias != null) {
            if (alias.target() != null) {
                moduleMembers(alias.target(), typePosition, items);
            }
            return;
        }
        if (enclosing instanceof Symbol.Pipeline p) {
            for (Symbol.Step s : program.steps(p)) {
                if (s.named() && s.id().equals(target)) {
                    for (Symbol.Output o : s.callee().outputs()) {
                        items.add(o.name(), CompletionItemKind.Field, Hovers.display(o.type()), o.decl().doc());
                    }
                    return;
                }
            }
            Type t = scopeTypes(program, p, text, offset).get(target);
            if (t != null && Type.strip(t) instanceof Type.Struct st) {
                st.fields().forEach((name, type) -> items.add(name, CompletionItemKind.Field, Hovers.display(type), null));
                return;
            }
            if (target.equals("run") && t == null) {
                Checker.runFields().forEach((name, type) -> items.add(name, CompletionItemKind.Field,
                        Hovers.display(type), Checker.exitOnly(name) ? "only inside `finally`" : null));
            }
        }
    }

    /** A module's components, pipelines and types; only its types where a type is written. */
    private static void moduleMembers(Module target, boolean typesOnly, Items items) {
        for (Symbol s : target.members().values()) {
            if (typesOnly && (s instanceof Symbol.Component || s instanceof Symbol.Pipeline)) {
                continue;
            }
            if (s instanceof Symbol.Component c) {
                items.add(c.name(), CompletionItemKind.Function,
                        Hovers.signature("component", c.name(), c.decl().params(), c.decl().outputs()), c.decl().doc());
            } else if (s instanceof Symbol.Pipeline p) {
                items.add(p.name(), CompletionItemKind.Function,
                        Hovers.signature("pipeline", p.name(), p.decl().params(), p.decl().outputs()), p.decl().doc());
            } else if (s instanceof Symbol.StructDef st) {
                items.add(st.name(), CompletionItemKind.Struct, "struct", st.decl().doc());
            } else if (s instanceof Symbol.ArtifactDef a) {
                items.add(a.name(), CompletionItemKind.Class, "artifact type", a.decl().doc());
            }
        }
    }

    private static void types(Module module, Items items) {
        for (String t : Type.builtinNames()) {
            items.add(t, CompletionItemKind.Class, "builtin type", null);
        }
        for (Symbol s : module.members().values()) {
            if (s instanceof Symbol.StructDef st) {
                items.add(st.name(), CompletionItemKind.Struct, "struct", st.decl().doc());
            } else if (s instanceof Symbol.ArtifactDef a) {
                items.add(a.name(), CompletionItemKind.Class, "artifact type", a.decl().doc());
            }
        }
        for (Symbol.ImportAlias a : module.imports().values()) {
            items.add(a.name(), CompletionItemKind.Module, "import", null);
        }
    }

    /** The inputs of the called component or pipeline (or the fields of a struct); false if the callee is unknown. */
    private static boolean arguments(Module module, CursorContext.Call call, Items items) {
        Symbol callee = callee(module, call);
        if (callee instanceof Symbol.Callable c) {
            int i = 0;
            for (Symbol.Input in : c.inputs()) {
                i++;
                if (call.given().contains(in.name())) {
                    continue;
                }
                String detail = Hovers.display(in.type()) + (in.required() ? " (required)"
                        : " = " + in.decl().defaultValue().span().text());
                CompletionItem item = items.add(in.name(), CompletionItemKind.Field, detail, in.decl().doc());
                item.setInsertText(in.name() + " = ");
                item.setInsertTextFormat(InsertTextFormat.PlainText);
                item.setSortText((in.required() ? "0" : "1") + String.format("%04d", i));
            }
            return true;
        }
        if (callee instanceof Symbol.StructDef st) {
            int i = 0;
            for (Map.Entry<String, Type> f : st.type().fields().entrySet()) {
                i++;
                if (call.given().contains(f.getKey())) {
                    continue;
                }
                CompletionItem item = items.add(f.getKey(), CompletionItemKind.Field, Hovers.display(f.getValue()), null);
                item.setInsertText(f.getKey() + " = ");
                item.setSortText(String.format("0%04d", i));
            }
            return true;
        }
        return false;
    }

    /** What a call in this module names: {@code name} a member of it, {@code alias.name} one of an import; or null. */
    static Symbol callee(Module module, CursorContext.Call call) {
        if (call.qualifier() == null) {
            return module.members().get(call.callee());
        }
        Symbol.ImportAlias alias = module.imports().get(call.qualifier());
        return alias == null || alias.target() == null ? null : alias.target().members().get(call.callee());
    }

    private static void scope(Checked program, Symbol.Pipeline p, String text, int offset, Items items) {
        for (Symbol.Input in : p.inputs()) {
            items.add(in.name(), CompletionItemKind.Variable, "parameter: " + Hovers.display(in.type()), in.decl().doc());
        }
        steps(program, p, items);
        walk(program, p.decl().body(), text, offset, (name, symbol) -> {
            if (symbol instanceof Symbol.Value v) {
                items.add(name, CompletionItemKind.Variable, "value: " + Hovers.display(v.type()), v.bind().doc());
            } else if (symbol instanceof Symbol.LoopVar lv) {
                items.add(name, CompletionItemKind.Variable, "loop variable: " + Hovers.display(lv.type()), null);
            }
        });
    }

    private static void steps(Checked program, Symbol.Pipeline p, Items items) {
        for (Symbol.Step s : program.steps(p)) {
            if (s.named()) {
                items.add(s.id(), CompletionItemKind.Variable, "step: " + s.callee().name(), s.bind().doc());
            }
        }
    }

    private static void callables(Module module, Items items) {
        moduleMembers(module, false, items);
        for (Symbol.ImportAlias a : module.imports().values()) {
            items.add(a.name(), CompletionItemKind.Module, "import " + a.decl().path(), a.decl().doc());
        }
    }

    /** The declared types of the names a pipeline body can read (parameters, values, loop variables). */
    private static Map<String, Type> scopeTypes(Checked program, Symbol.Pipeline p, String text, int offset) {
        Map<String, Type> out = new LinkedHashMap<>();
        for (Symbol.Input in : p.inputs()) {
            out.put(in.name(), in.type());
        }
        walk(program, p.decl().body(), text, offset, (name, symbol) -> {
            if (symbol instanceof Symbol.Value v) {
                out.putIfAbsent(name, v.type());
            } else if (symbol instanceof Symbol.LoopVar lv) {
                out.putIfAbsent(name, lv.type());
            }
        });
        return out;
    }

    private interface Declared {
        void accept(String name, Symbol symbol);
    }

    /**
     * The values and loop variables declared in a body, nested blocks included; a loop variable only
     * inside its loop (the offset in the loop's body, also while its `}` is not typed yet).
     */
    private static void walk(Checked program, Ast.Block block, String text, int offset, Declared out) {
        if (block == null) {
            return;
        }
        for (Ast.Stmt s : block.stmts()) {
            if (s instanceof Ast.Bind b && b.name() != null) {
                Symbol sym = program.symbolOf(b);
                if (sym != null) {
                    out.accept(b.name().name(), sym);
                }
            } else if (s instanceof Ast.For f) {
                Symbol sym = program.symbolOf(f.variable());
                if (sym != null && inside(f.body(), text, offset)) {
                    out.accept(f.variable().name(), sym);
                }
                walk(program, f.body(), text, offset, out);
            } else if (s instanceof Ast.If i) {
                for (Ast.Branch br : i.branches()) {
                    walk(program, br.body(), text, offset, out);
                }
                walk(program, i.elseBlock(), text, offset, out);
            } else if (s instanceof Ast.Finally f) {
                walk(program, f.body(), text, offset, out);
            } else if (s instanceof Ast.StrayElse e) {
                walk(program, e.body(), text, offset, out);
            }
        }
    }

    /** Whether the offset is in the block, or after its start while it has no closing brace yet. */
    private static boolean inside(Ast.Block block, String text, int offset) {
        int end = block.span().end();
        boolean closed = end > 0 && end <= text.length() && text.charAt(end - 1) == '}';
        return block.span().start() <= offset && (offset < end || !closed);
    }

    /** Items by label: the first of a name wins (a parameter over a component of the same name). */
    private static final class Items {
        private final Map<String, CompletionItem> byLabel = new LinkedHashMap<>();

        CompletionItem add(String label, CompletionItemKind kind, String detail, String doc) {
            CompletionItem existing = byLabel.get(label);
            if (existing != null) {
                return existing;
            }
            CompletionItem item = new CompletionItem(label);
            item.setKind(kind);
            item.setDetail(detail);
            if (doc != null && !doc.isBlank()) {
                item.setDocumentation(doc.strip());
            }
            byLabel.put(label, item);
            return item;
        }

        List<CompletionItem> list() {
            return new ArrayList<>(byLabel.values());
        }
    }
}
