package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import dev.freestone.syntax.Ast;
import java.util.List;
import java.util.Set;

/**
 * The outcome of {@link Checker#check}: the resolved and typed program (always present, even when
 * there are errors, so that the editor can still answer questions about it) and every diagnostic,
 * sorted and de-duplicated, suppressions applied.
 */
public record CheckResult(Checked program, List<Diagnostic> diagnostics) {
    public CheckResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return Diagnostic.hasErrors(diagnostics);
    }

    /**
     * The declarations of {@code module} that are the parser's guess and no declaration the user wrote: a
     * keyword met mid-line after a syntax error (a pasted KFP {@code @dsl.component} read as a component),
     * which an outline leaves out.
     */
    public Set<Ast.Decl> guessedDeclarations(Module module) {
        return SyntaxCascades.guessed(module.file(), diagnostics);
    }

    /**
     * The same for a file that was only parsed, from the parser's diagnostics: what a search over files that are not
     * checked (the workspace's symbols) leaves out, as the outline of the checked file does.
     */
    public static Set<Ast.Decl> guessedDeclarations(Ast.File file, List<Diagnostic> parseDiagnostics) {
        return SyntaxCascades.guessed(file, parseDiagnostics);
    }

    /** Errors always fail; with {@code strict}, so do warnings. */
    public boolean failed(boolean strict) {
        return strict ? !diagnostics.isEmpty() : hasErrors();
    }
}
