package dev.freestone.lsp;

import dev.freestone.check.CheckResult;
import dev.freestone.check.Module;
import dev.freestone.check.ScriptVariables;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.EditorGrammar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.TextDocumentEdit;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Rename: every place {@link Session#occurrencesOf} finds for the symbol under the cursor (what references
 * lists) gets the new name, in the open documents and the files they import, and the files of the workspace that
 * import the declaring file (closed ones edited without a version). A rename is refused rather than made in part of
 * the workspace: when it is larger than the server reads, or a closed file that may use the name has a syntax
 * error. Nothing is renamed that the user
 * does not own or that has no name of its own (builtins, the standard library, an import named by its path). A new name must be an identifier that is no keyword or builtin, and
 * the renamed files are checked before the edit is answered: a rename that would add a diagnostic (a name
 * declared twice, a binding that hides a parameter) is refused with that diagnostic, so an edit the client
 * applies never breaks a file.
 */
final class Renames {
    private static final Pattern IDENT = Pattern.compile(EditorGrammar.IDENT);

    private Renames() {
    }

    /** The name under the cursor, its symbol and where that is declared. */
    private record Target(Occurrence at, SymbolKey key, String name) {
    }

    /** The range and text of the name under the cursor; null where there is no name; an error where it cannot be renamed. */
    static PrepareRenameResult prepare(Session session, Session.Document d, int offset) {
        Target t = target(session, d, offset);
        return t == null ? null : new PrepareRenameResult(Ranges.of(t.at().span()), t.name());
    }

    /** The edits that rename the symbol under the cursor to {@code newName}, or an error saying why not. */
    static WorkspaceEdit rename(Session session, Session.Document d, int offset, String newName) {
        Target t = target(session, d, offset);
        if (t == null) {
            throw refusal("there is no name here to rename");
        }
        if (newName.equals(t.name())) {
            return edit(session, Map.of(), Map.of());
        }
        String invalid = invalid(newName);
        if (invalid != null) {
            throw refusal("cannot rename `" + t.name() + "` to `" + newName + "`: " + invalid);
        }
        Map<String, List<TextEdit>> edits = new LinkedHashMap<>();
        Map<String, Module> modules = new LinkedHashMap<>();
        Session.Search search = session.occurrencesOf(t.key());
        WorkspaceFiles workspace = session.workspace();
        if (search.partial()) {
            throw refusal("cannot rename `" + t.name() + "`: the workspace holds " + workspace.bound()
                    + ", more than the server reads, and a file past them could still use `" + t.name()
                    + "`; open the project's own folder as the workspace");
        }
        if (!search.unparsed().isEmpty()) {
            Map.Entry<Path, Diagnostic> e = new TreeMap<>(search.unparsed()).firstEntry();
            Diagnostic error = e.getValue();
            throw refusal("cannot rename `" + t.name() + "`: " + workspace.shown(e.getKey()) + " (not open) has a syntax error at "
                    + error.span().line() + ":" + error.span().column() + " (" + error.message() + "), which could hide a use of `"
                    + t.name() + "`; fix it, or open it to rename with what can be read of it");
        }
        for (Session.Found f : search.found()) {
            refuseOwnVariable(t, newName, f);
            // a place whose text is not the name (a node that stands for it) is no place to write the new one
            if (f.occurrence().span().text().equals(t.name())) {
                edits.computeIfAbsent(f.uri(), u -> new ArrayList<>()).add(new TextEdit(Ranges.of(f.occurrence().span()), newName));
                modules.putIfAbsent(f.uri(), f.module());
            }
        }
        refuseWhatBreaks(session, t, newName, edits, modules, search.closedImporters());
        return edit(session, edits, modules);
    }

    private static Target target(Session session, Session.Document d, int offset) {
        if (d == null) {
            return null;
        }
        Occurrence at = Occurrences.at(d.analysis.occurrences(d.analysis.root()), offset);
        if (at == null || at.node() instanceof Ast.Import) {
            return null;
        }
        Symbol symbol = at.symbol();
        String name = at.span().text();
        if (symbol instanceof Symbol.Builtin || symbol instanceof Symbol.BuiltinType || symbol instanceof Symbol.Run) {
            throw refusal("`" + name + "` is built into Freestone and cannot be renamed");
        }
        SymbolKey key = d.analysis.keyOf(symbol);
        Module declaring = d.analysis.moduleOf(symbol.span());
        if (key == null || declaring == null) {
            return null;
        }
        if (declaring.isStdlib()) {
            throw refusal("`" + name + "` is declared in the standard library (`" + declaring.key()
                    + "`), which is not yours to rename");
        }
        if (symbol instanceof Symbol.ImportAlias alias && !alias.decl().explicitAlias()) {
            throw refusal("the import `" + name + "` is named by its path; add `as NAME` to the import to name it otherwise");
        }
        return name.equals(symbol.name()) ? new Target(at, key, name) : null;
    }

    /**
     * A shell script that sets the variable itself ({@code lr=5}, {@code read lr}) has a variable of its own by the
     * input's name, or the new name: which of its reads are the input's cannot be told, so the rename is refused.
     */
    private static void refuseOwnVariable(Target t, String newName, Session.Found f) {
        if (!(f.occurrence().node() instanceof Ast.ScriptOption script)) {
            return;
        }
        Set<String> assigned = ScriptVariables.assigned(script);
        for (String name : List.of(t.name(), newName)) {
            if (assigned.contains(name)) {
                Span at = script.span();
                throw refusal("cannot rename `" + t.name() + "` to `" + newName + "`: the script at "
                        + Path.of(at.path()).getFileName() + ":" + at.line() + " sets `" + name
                        + "` itself, so which of its `$" + name + "` are Freestone's cannot be told; rename the script's own `"
                        + name + "` first");
            }
        }
    }

    /** Why a new name cannot be, or null when it can. */
    private static String invalid(String name) {
        if (!IDENT.matcher(name).matches()) {
            return "a name is a letter or `_` followed by letters, digits and `_`";
        }
        if (EditorGrammar.keywords().contains(name)) {
            return "`" + name + "` is a keyword";
        }
        if (EditorGrammar.BUILTIN_TYPES.contains(name)) {
            return "`" + name + "` is a builtin type";
        }
        if (Hovers.BUILTIN_FUNCTIONS.containsKey(name)) {
            return "`" + name + "` is a builtin function";
        }
        if (name.equals("run")) {
            return "`run` names the run's metadata";
        }
        return null;
    }

    /**
     * Checks every open document, every renamed file and every closed importer of the workspace as the root, before
     * and after the rename: a
     * diagnostic the rename adds (counted by code, since places move) refuses it, with its message.
     */
    private static void refuseWhatBreaks(Session session, Target t, String newName, Map<String, List<TextEdit>> edits,
            Map<String, Module> modules, List<Path> closedImporters) {
        Map<Path, String> before = new HashMap<>();
        Map<Path, String> after = new HashMap<>();
        for (Map.Entry<String, List<TextEdit>> e : edits.entrySet()) {
            Module m = modules.get(e.getKey());
            Path path = Path.of(m.key());
            Session.Document open = session.documentOf(path);
            String text = open != null ? open.text : m.source().text();
            before.put(path, text);
            after.put(path, applied(new Source(path.toString(), text), e.getValue()));
        }
        Set<Path> roots = new LinkedHashSet<>(before.keySet());
        session.documents().forEach(doc -> roots.add(doc.path));
        roots.addAll(closedImporters);
        for (Path root : roots) {
            Map<String, Integer> counts = new HashMap<>();
            for (Diagnostic diag : session.checkWith(root, before).diagnostics()) {
                counts.merge(diag.code().name(), 1, Integer::sum);
            }
            CheckResult renamed = session.checkWith(root, after);
            for (Diagnostic diag : renamed.diagnostics()) {
                if (counts.merge(diag.code().name(), -1, Integer::sum) < 0) {
                    throw refusal("renaming `" + t.name() + "` to `" + newName + "` would break "
                            + Path.of(diag.span().path()).getFileName() + ":" + diag.span().line() + ": "
                            + diag.code().name() + " " + diag.message());
                }
            }
        }
    }

    /** The text with the edits made (they do not overlap: each is one occurrence of a name). */
    private static String applied(Source source, List<TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort((a, b) -> Integer.compare(Ranges.offset(source, b.getRange().getStart()),
                Ranges.offset(source, a.getRange().getStart())));
        StringBuilder text = new StringBuilder(source.text());
        for (TextEdit e : sorted) {
            text.replace(Ranges.offset(source, e.getRange().getStart()), Ranges.offset(source, e.getRange().getEnd()),
                    e.getNewText());
        }
        return text.toString();
    }

    /** As {@code documentChanges} with each open file's version when the client takes them, else as {@code changes}. */
    private static WorkspaceEdit edit(Session session, Map<String, List<TextEdit>> edits, Map<String, Module> modules) {
        WorkspaceEdit out = new WorkspaceEdit();
        if (!session.versionedEdits) {
            out.setChanges(edits);
            return out;
        }
        List<Either<TextDocumentEdit, org.eclipse.lsp4j.ResourceOperation>> changes = new ArrayList<>();
        for (Map.Entry<String, List<TextEdit>> e : edits.entrySet()) {
            Session.Document open = session.documentOf(Path.of(modules.get(e.getKey()).key()));
            Integer version = open == null ? null : open.version;
            changes.add(Either.forLeft(new TextDocumentEdit(new VersionedTextDocumentIdentifier(e.getKey(), version),
                    e.getValue())));
        }
        out.setChanges(null);
        out.setDocumentChanges(changes);
        return out;
    }

    private static ResponseErrorException refusal(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.RequestFailed, message, null));
    }
}
