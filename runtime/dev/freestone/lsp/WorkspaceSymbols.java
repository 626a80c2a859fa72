package dev.freestone.lsp;

import dev.freestone.check.CheckResult;
import dev.freestone.diag.Diagnostic;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
        Set<Ast.Decl> guessed = CheckResult.guessedDeclarations(file, parseDiagnostics);
        List<Declared> out = new ArrayList<>();
        for (Ast.Decl d : file.decls()) {
            if (d.name() == null || d.name().name().isEmpty() || guessed.contains(d)) {
                continue;
            }
            SymbolKind kind = d instanceof Ast.ComponentDecl ? SymbolKind.Function
                    : d instanceof Ast.PipelineDecl || d instanceof Ast.ArtifactDecl ? SymbolKind.Class
                    : d instanceof Ast.StructDecl ? SymbolKind.Struct
                    : null; // an import declares no symbol of its own
            if (kind != null) {
                out.add(new Declared(d.name().name(), kind, Ranges.of(d.name().span())));
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
