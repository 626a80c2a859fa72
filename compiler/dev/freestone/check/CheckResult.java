package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import java.util.List;

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

    /** Errors always fail; with {@code strict}, so do warnings. */
    public boolean failed(boolean strict) {
        return strict ? !diagnostics.isEmpty() : hasErrors();
    }
}
