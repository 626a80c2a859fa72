package dev.freestone.lsp;

import dev.freestone.check.CheckResult;
import dev.freestone.diag.Diagnostic;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;

/**
 * What "Go to Symbol in Workspace" finds in a file: its components, pipelines, structs and artifact types (the
 * declarations another file imports), each with the kind the outline gives it and the place of its name. Read from
 * the parse, so that files nobody has open are searched without checking them; what the parser's recovery made of
 * pasted Python is left out, as in the outline.
 */
final class WorkspaceSymbols {
    /** One declaration: its name, kind and the range of its name. */
    record Declared(String name, SymbolKind kind, Range range) {
    }

    private WorkspaceSymbols() {
    }

    /** The declarations of a parsed file, in the order they are written. */
    static List<Declared> of(Ast.File file, List<Diagnostic> parseDiagnostics) {
        List<Declared> out = new ArrayList<>();
        for (Ast.Decl d : Outline.written(file, CheckResult.guessedDeclarations(file, parseDiagnostics))) {
            // an import declares no symbol of its own
            if (!(d instanceof Ast.Import)) {
                out.add(new Declared(d.name().name(), Outline.kindOf(d), Ranges.of(d.name().span())));
            }
        }
        return out;
    }

    /**
     * Whether a name matches what was typed, as editors match: every character of the query, in order, ignoring case
     * ({@code trn} finds {@code train}); an empty query matches everything.
     */
    static boolean matches(String name, String query) {
        String n = name.toLowerCase(Locale.ROOT);
        String q = query.toLowerCase(Locale.ROOT);
        int at = 0;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            at = n.indexOf(c, at);
            if (at < 0) {
                return false;
            }
            at++;
        }
        return true;
    }
}
