package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;

/**
 * The server survives whatever a user can type: the project's example files edited at random
 * (incremental edits that delete, duplicate and insert tokens, garbage, line breaks and characters
 * outside the BMP), and after every edit a diagnostics notification for that version arrives, its
 * ranges lie inside the text, the quick fixes of each diagnostic edit inside the text, and hover,
 * completion, signature help and rename at a random place still answer (a rename with an edit inside the text, or
 * a refusal). The server logs no failure.
 */
class LanguageServerRobustnessProperties {
    private static final List<Path> EXAMPLES = examples();

    private static List<Path> examples() {
        try (Stream<Path> s = Files.walk(Golden.projectDir().resolve("examples"))) {
            return s.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<String> TOKENS = List.of("{", "}", "(", ")", "[", "]", "\"", "\"\"\"", "${", "=", ",", ":",
            ".", "?", "->", "if ", "else ", "for ", " in ", " parallel ", " after ", " with { ", "finally ", "output ",
            "oneof(", "run.status", "//", "/*", "///", "*/", "\n", "\r\n", "\t", "x.", "fit(", "import ", "component ",
            "pipeline ", "struct S { a: S }\n", "é", "\uD83D\uDE00", "\uD83D", "5min", "-", "not ", "// freestone:allow ", "unused-", "{lr}");

    /** One edit at relative places of the current text: delete, duplicate or insert. */
    record Edit(int kind, double from, double length, String insert, double cursor) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(TOKENS),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8));
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), insert, Arbitraries.doubles().between(0, 1))
                .as(Edit::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 40)
    void everyEditGetsDiagnosticsAndTheServerKeepsAnswering(@ForAll("examplesIndex") int example,
                                                           @ForAll("edits") List<Edit> edits) throws IOException {
        Path file = EXAMPLES.get(example);
        String text = Files.readString(file);
        String uri = LspClient.uri(file);
        try (LspClient client = LspClient.inProcess(Duration.ZERO)) {
            client.open(uri, text);
            checkDiagnostics(client.awaitDiagnostics(uri, 1), text);
            for (Edit e : edits) {
                int n = text.length();
                int start = (int) (e.from() * n);
                int end = Math.min(n, start + (int) (e.length() * Math.min(n, 40)));
                String replacement = switch (e.kind()) {
                    case 0 -> "";
                    case 1 -> text.substring(start, end) + text.substring(start, end);
                    default -> e.insert();
                };
                if (e.kind() == 2) {
                    end = start;
                }
                Source before = new Source("x", text);
                int version = client.edit(uri, new Range(position(before, start), position(before, end)), replacement);
                text = text.substring(0, start) + replacement + text.substring(end);

                PublishDiagnosticsParams p = client.awaitDiagnostics(uri, version);
                assertEquals(version, p.getVersion());
                checkDiagnostics(p, text);
                for (var d : p.getDiagnostics()) {
                    checkQuickFixes(client.codeActions(uri, d.getRange()), uri, text);
                }
                Position at = position(new Source("x", text), (int) (e.cursor() * text.length()));
                client.hover(uri, at);
                client.completion(uri, at);
                client.signatureHelp(uri, at);
                client.highlights(uri, at);
                checkFolds(client.folds(uri), text);
                checkHints(client.inlayHints(uri, new Range(new Position(0, 0), position(new Source("x", text), text.length()))),
                        text);
                client.prepareRenameAnswer(uri, at);
                checkRename(client.renameAnswer(uri, at, "renamed"), uri, text);
            }
            Position at = position(new Source("x", text), text.length() / 2);
            client.definition(uri, at);
            client.references(uri, at, true);
            client.symbols(uri);
            client.workspaceSymbols("");
            client.format(uri);
            assertEquals(List.of(), client.errorLogs());
        }
    }

    /** Folding ranges of any text, parsed or not: inside the file, each over two lines or more, one per first line. */
    private static void checkFolds(List<org.eclipse.lsp4j.FoldingRange> folds, String text) {
        int lines = new Source("x", text).lineCount();
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        for (var f : folds) {
            assertTrue(f.getStartLine() >= 0 && f.getStartLine() < f.getEndLine() && f.getEndLine() < lines, f + " in " + lines + " lines");
            assertTrue(starts.add(f.getStartLine()), "two folds start on line " + f.getStartLine());
        }
    }

    /** Inlay hints of any text: each at a place in the file, a type after a colon. */
    private static void checkHints(List<org.eclipse.lsp4j.InlayHint> hints, String text) {
        Source s = new Source("x", text);
        for (var h : hints) {
            Position p = h.getPosition();
            assertTrue(p.getLine() >= 0 && p.getLine() < s.lineCount()
                    && p.getCharacter() <= s.line(p.getLine() + 1).length(), h.toString());
            assertTrue(h.getLabel().getLeft().startsWith(": "), h.toString());
        }
    }

    @Provide
    Arbitrary<Integer> examplesIndex() {
        return Arbitraries.integers().between(0, EXAMPLES.size() - 1);
    }

    private static void checkDiagnostics(PublishDiagnosticsParams p, String text) {
        Source s = new Source("x", text);
        for (var d : p.getDiagnostics()) {
            Position start = d.getRange().getStart();
            Position end = d.getRange().getEnd();
            assertTrue(start.getLine() >= 0 && start.getLine() < s.lineCount(), d.toString());
            assertTrue(end.getLine() < s.lineCount(), d.toString());
            assertTrue(end.getCharacter() <= s.line(end.getLine() + 1).length(), d + " in " + text);
            assertTrue(d.getCode().getLeft().matches("[EW]\\d{4}"), d.toString());
        }
    }

    /** Every quick fix edits this document, inside its text. */
    private static void checkQuickFixes(List<CodeAction> actions, String uri, String text) {
        Source s = new Source("x", text);
        for (CodeAction a : actions) {
            assertEquals(Set.of(uri), a.getEdit().getChanges().keySet(), a.toString());
            for (TextEdit e : a.getEdit().getChanges().get(uri)) {
                Position end = e.getRange().getEnd();
                assertTrue(end.getLine() < s.lineCount() && end.getCharacter() <= s.line(end.getLine() + 1).length(),
                        e + " in " + text);
            }
        }
    }

    /** A rename answers with a refusal or an edit; this document's edits lie inside its text and write the new name. */
    private static void checkRename(LspClient.Answer<WorkspaceEdit> answer, String uri, String text) {
        if (answer.refusal() != null) {
            return;
        }
        Source s = new Source("x", text);
        for (TextEdit e : answer.value().getChanges().getOrDefault(uri, List.of())) {
            Position end = e.getRange().getEnd();
            assertTrue(end.getLine() < s.lineCount() && end.getCharacter() <= s.line(end.getLine() + 1).length(),
                    e + " in " + text);
            assertEquals("renamed", e.getNewText());
        }
    }

    private static Position position(Source s, int offset) {
        return new Position(s.lineOf(offset) - 1, s.columnOf(offset) - 1);
    }
}
