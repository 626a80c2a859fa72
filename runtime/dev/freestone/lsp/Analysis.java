package dev.freestone.lsp;

import dev.freestone.check.CheckResult;
import dev.freestone.check.Checked;
import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One check of an open document as the root, with the texts of all open documents: the checked
 * program, the texts of the files it loaded (to know which documents an edit affects) and, computed
 * when first asked, the occurrences of names per module.
 */
final class Analysis {
    final int version;
    final CheckResult result;
    private final Map<Source, Module> modulesBySource = new IdentityHashMap<>();
    private final Map<Module, List<Occurrence>> occurrences = new HashMap<>();
    private final Map<Path, String> texts = new HashMap<>();

    Analysis(int version, CheckResult result) {
        this.version = version;
        this.result = result;
        for (Module m : result.program().modules()) {
            modulesBySource.put(m.source(), m);
            if (!m.isStdlib()) {
                texts.put(Path.of(m.key()), m.source().text());
            }
        }
    }

    Checked program() {
        return result.program();
    }

    Module root() {
        return result.program().root();
    }

    /**
     * The text this check read for a file (the root or an imported file, not the standard library), or
     * null when it did not read that file.
     */
    String textOf(Path file) {
        return texts.get(file);
    }

    /** The diagnostics that belong to the root document (those of imported files belong to them). */
    List<Diagnostic> rootDiagnostics() {
        Source root = root().source();
        return result.diagnostics().stream().filter(d -> d.span().source() == root).toList();
    }

    /** An import of the root and the errors in the files it brings in, directly or through their imports. */
    record ImportErrors(Ast.Import decl, List<Diagnostic> errors) {
    }

    /**
     * For each import of the root through which a file with errors is loaded, those errors in the order
     * the checker sorted them. The root is left out: its own errors are shown where they are.
     */
    List<ImportErrors> importErrors() {
        List<Diagnostic> elsewhere = result.diagnostics().stream()
                .filter(d -> d.isError() && d.span().source() != root().source()).toList();
        if (elsewhere.isEmpty()) {
            return List.of();
        }
        List<ImportErrors> out = new ArrayList<>();
        for (Symbol.ImportAlias alias : root().imports().values()) {
            Set<Source> reached = Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<Module> todo = new ArrayDeque<>();
            if (alias.target() != null) {
                todo.add(alias.target());
            }
            while (!todo.isEmpty()) {
                Module m = todo.pop();
                if (m != root() && reached.add(m.source())) {
                    m.imports().values().stream().map(Symbol.ImportAlias::target).filter(Objects::nonNull).forEach(todo::add);
                }
            }
            List<Diagnostic> errors = elsewhere.stream().filter(d -> reached.contains(d.span().source())).toList();
            if (!errors.isEmpty()) {
                out.add(new ImportErrors(alias.decl(), errors));
            }
        }
        return out;
    }

    Module moduleOf(Span span) {
        return modulesBySource.get(span.source());
    }

    List<Occurrence> occurrences(Module module) {
        return occurrences.computeIfAbsent(module, m -> Occurrences.of(result.program(), m));
    }

    /** The key of a symbol declared in a file of this check, or null (built-ins, the standard library's are kept). */
    SymbolKey keyOf(Symbol symbol) {
        Module m = moduleOf(symbol.span());
        return m == null ? null : new SymbolKey(m.key(), symbol.span().start());
    }
}
