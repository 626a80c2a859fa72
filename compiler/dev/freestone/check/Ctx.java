package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What every part of one check shares: the result being filled and the diagnostics found so far. */
final class Ctx {
    final Checked checked;
    final List<Diagnostic> diagnostics;
    final Map<dev.freestone.syntax.Ast.Import, Module> importTargets;

    /** The crossings of each recorded reference, with branch numbers (which `oneof` needs). */
    final Map<dev.freestone.syntax.Ast.Expr, List<Exprs.Crossing>> crossings = new java.util.IdentityHashMap<>();
    private final Map<Symbol.Step, Map<Symbol.Output, Symbol.StepOutput>> stepOutputs = new java.util.IdentityHashMap<>();

    Ctx(Checked checked, List<Diagnostic> diagnostics, Map<dev.freestone.syntax.Ast.Import, Module> importTargets) {
        this.checked = checked;
        this.diagnostics = diagnostics;
        this.importTargets = importTargets;
    }

    /** One {@link Symbol.StepOutput} per step and output, so that symbols compare by identity. */
    Symbol.StepOutput stepOutput(Symbol.Step step, Symbol.Output output) {
        return stepOutputs.computeIfAbsent(step, k -> new java.util.IdentityHashMap<>())
                .computeIfAbsent(output, k -> new Symbol.StepOutput(step, output));
    }

    void reference(dev.freestone.syntax.Ast.Expr use, Symbol target, List<Exprs.Crossing> crossed) {
        checked.references.put(use, new Checked.Reference(target, Exprs.stmts(crossed)));
        crossings.put(use, crossed);
    }

    /** Import aliases some qualifier used (W0003 for the others). */
    final java.util.Set<Symbol.ImportAlias> usedAliases = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /**
     * Whether the declaration of {@code c} holds a syntax error: its inputs are then the parser's guess,
     * and its calls are not checked against them (one mistake, one diagnostic).
     */
    boolean syntaxBroken(Symbol.Callable c) {
        dev.freestone.syntax.Ast.Decl d = c instanceof Symbol.Component k ? k.decl() : ((Symbol.Pipeline) c).decl();
        return brokenRegions.computeIfAbsent(c.module(), m -> SyntaxCascades.brokenRegionStarts(m, diagnostics))
                .contains(d.span().start());
    }

    /** Per module, {@link SyntaxCascades#brokenRegionStarts}: asked at every call, so not recomputed. */
    private final Map<Module, java.util.Set<Integer>> brokenRegions = new java.util.IdentityHashMap<>();

    void report(Diagnostic d) {
        diagnostics.add(d);
    }

    /** Warnings about the standard library are not the user's to fix. */
    void warn(Module module, Diagnostic d) {
        if (!module.isStdlib()) {
            diagnostics.add(d);
        }
    }

    /** {@code a, b, c} with each name in backticks, or "(none)". */
    static String list(java.util.Collection<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add("`" + n + "`");
        }
        return String.join(", ", out);
    }

    /** Where a declaration is, for "already declared at" messages. */
    static String at(Span span) {
        return span.path() + ":" + span.line() + ":" + span.column();
    }
}
