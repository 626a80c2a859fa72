package dev.freestone.lsp;

import dev.freestone.check.CheckResult;
import dev.freestone.check.Checked;
import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/**
 * The outline of a file: imports, structs (with fields), artifact types, components (inputs, outputs)
 * and pipelines (parameters, outputs, steps and values, loops and conditions with what is inside them).
 * Built from the AST, so a file with errors still has an outline (without the declarations the parser's
 * recovery made up of pasted Python); types come from the checker.
 */
final class Outline {
    private Outline() {
    }

    static List<DocumentSymbol> of(CheckResult result, Module root) {
        Checked program = result.program();
        Set<Ast.Decl> guessed = result.guessedDeclarations(root);
        List<DocumentSymbol> out = new ArrayList<>();
        for (Ast.Decl d : written(root.file(), guessed)) {
            if (d instanceof Ast.Import imp) {
                out.add(symbol(imp.name().name(), kindOf(d), imp.path(), imp.span(), imp.name().span(), List.of()));
            } else if (d instanceof Ast.StructDecl s) {
                List<DocumentSymbol> fields = new ArrayList<>();
                for (Ast.Field f : s.fields()) {
                    fields.add(field(f, SymbolKind.Field));
                }
                out.add(symbol(s.name().name(), kindOf(d), "struct", s.span(), s.name().span(), fields));
            } else if (d instanceof Ast.ArtifactDecl a) {
                out.add(symbol(a.name().name(), kindOf(d),
                        "artifact : " + (a.parent() == null ? "Artifact" : a.parent().span().text()),
                        a.span(), a.name().span(), List.of()));
            } else if (d instanceof Ast.ComponentDecl c) {
                List<DocumentSymbol> children = new ArrayList<>();
                c.params().forEach(p -> children.add(param(p)));
                c.outputs().forEach(f -> children.add(field(f, SymbolKind.Property)));
                out.add(symbol(c.name().name(), kindOf(d),
                        Hovers.signature("component", c.name().name(), c.params(), c.outputs()), c.span(), c.name().span(),
                        children));
            } else if (d instanceof Ast.PipelineDecl p) {
                List<DocumentSymbol> children = new ArrayList<>();
                p.params().forEach(x -> children.add(param(x)));
                p.outputs().forEach(f -> children.add(field(f, SymbolKind.Property)));
                children.addAll(body(program, p.body()));
                out.add(symbol(p.name().name(), kindOf(d),
                        Hovers.signature("pipeline", p.name().name(), p.params(), p.outputs()), p.span(), p.name().span(),
                        children));
            }
        }
        return out;
    }

    /**
     * The declarations of a file the user wrote, in order: named ones, not those that the parser's recovery made of
     * pasted Python ({@code guessed}), of which the syntax error is the one thing said. The outline, the workspace's
     * symbols and the run lenses list these.
     */
    static List<Ast.Decl> written(Ast.File file, Set<Ast.Decl> guessed) {
        return file.decls().stream()
                .filter(d -> d.name() != null && !d.name().name().isEmpty() && !guessed.contains(d)).toList();
    }

    /** How an editor shows a declaration: an import a module, a struct a struct, a component a function, a pipeline or an artifact type a class. */
    static SymbolKind kindOf(Ast.Decl d) {
        return d instanceof Ast.Import ? SymbolKind.Module
                : d instanceof Ast.StructDecl ? SymbolKind.Struct
                : d instanceof Ast.ComponentDecl ? SymbolKind.Function
                : SymbolKind.Class;
    }

    private static List<DocumentSymbol> body(Checked program, Ast.Block block) {
        List<DocumentSymbol> out = new ArrayList<>();
        if (block == null) {
            return out;
        }
        for (Ast.Stmt s : block.stmts()) {
            if (s instanceof Ast.Bind b) {
                Symbol sym = program.symbolOf(b);
                if (sym instanceof Symbol.Step step) {
                    Span name = b.name() != null ? b.name().span() : b.value().span();
                    out.add(symbol(step.id(), SymbolKind.Event, "step: " + step.callee().name(), b.span(), name, List.of()));
                } else if (sym instanceof Symbol.Value v) {
                    out.add(symbol(v.name(), SymbolKind.Variable, Hovers.display(v.type()), b.span(), b.name().span(),
                            List.of()));
                }
            } else if (s instanceof Ast.For f) {
                out.add(symbol("for " + f.variable().name(), SymbolKind.Array, null, f.span(), f.variable().span(),
                        body(program, f.body())));
            } else if (s instanceof Ast.If i) {
                List<DocumentSymbol> inside = new ArrayList<>();
                for (Ast.Branch br : i.branches()) {
                    inside.addAll(body(program, br.body()));
                }
                inside.addAll(body(program, i.elseBlock()));
                Span head = i.branches().isEmpty() ? i.span() : i.branches().get(0).condition().span();
                out.add(symbol("if " + head.text(), SymbolKind.Boolean, null, i.span(), head, inside));
            } else if (s instanceof Ast.Finally f) {
                out.add(symbol("finally", SymbolKind.Event, null, f.span(), f.span(), body(program, f.body())));
            }
        }
        return out;
    }

    private static DocumentSymbol param(Ast.Param p) {
        return symbol(p.name().name(), SymbolKind.Variable, p.type() == null ? null : p.type().span().text(), p.span(),
                p.name().span(), List.of());
    }

    private static DocumentSymbol field(Ast.Field f, SymbolKind kind) {
        return symbol(f.name().name(), kind, f.type() == null ? null : f.type().span().text(), f.span(), f.name().span(),
                List.of());
    }

    /** The protocol wants the selection inside the range and a non-empty name. */
    private static DocumentSymbol symbol(String name, SymbolKind kind, String detail, Span range, Span selection,
                                         List<DocumentSymbol> children) {
        Span sel = selection.start() >= range.start() && selection.end() <= range.end() ? selection : range;
        DocumentSymbol s = new DocumentSymbol(name.isEmpty() ? "?" : oneLine(name), kind, Ranges.of(range), Ranges.of(sel),
                detail == null ? null : oneLine(detail));
        s.setChildren(children);
        return s;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 80 ? flat.substring(0, 77) + "..." : flat;
    }
}
