package dev.freestone.lsp;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Severity;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;

/**
 * Quick fixes for the diagnostics of a document at a range, each what the diagnostic's help already
 * says: a "did you mean `x`?" becomes "change to `x`" (only where the text under the diagnostic is the
 * unknown name its message quotes first, so the edit replaces exactly that name), a {@code {lr}} that
 * reads as an f-string (W0006) gets its {@code $}, an unused import alone on its line (W0003) can be
 * removed, and a warning can be silenced with {@code // freestone:allow NAME} on the line above (added to an allow comment standing
 * there already: a new line between would take that comment's line away from the warning).
 */
final class CodeActions {
    private static final Pattern DID_YOU_MEAN = Pattern.compile("did you mean `([^`]+)`\\?");
    private static final Pattern FIRST_QUOTED = Pattern.compile("`([^`]+)`");
    private static final Pattern ALLOW_ALONE = Pattern.compile("^(\\s*)(//.*freestone:allow.*?|/\\*.*freestone:allow.*?)(\\s*\\*/)?\\s*$");

    private CodeActions() {
    }

    /** The fixes for the root diagnostics that touch the offsets {@code from..to}, in the diagnostics' order. */
    static List<CodeAction> at(String uri, List<Diagnostic> diagnostics, Source source, int from, int to) {
        List<CodeAction> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (d.span().start() > to || d.span().end() < from) {
                continue;
            }
            Matcher close = DID_YOU_MEAN.matcher(d.help());
            Matcher quoted = FIRST_QUOTED.matcher(d.message());
            if (close.find() && quoted.find() && quoted.group(1).equals(d.span().text())) {
                CodeAction a = action(uri, d, "Change to `" + close.group(1) + "`",
                        new TextEdit(Ranges.of(d.span()), close.group(1)));
                a.setIsPreferred(true);
                out.add(a);
            }
            if (d.code() == Code.W0006 && d.span().text().startsWith("{")) {
                // `{lr}` that meant `${lr}`
                CodeAction a = action(uri, d, "Write `$" + d.span().text() + "`",
                        new TextEdit(Ranges.of(Span.of(source, d.span().start(), d.span().start())), "$"));
                a.setIsPreferred(true);
                out.add(a);
            }
            TextEdit removal = d.code() == Code.W0003 ? wholeLines(source, d.span()) : null;
            if (removal != null) {
                out.add(action(uri, d, "Remove the import", removal));
            }
            if (d.severity() == Severity.WARNING && d.code().lint() != null && d.code() != Code.W0007) {
                out.add(action(uri, d, "Allow `" + d.code().lint() + "` here (// freestone:allow)", allow(source, d)));
            }
        }
        return out;
    }

    /** Deletes the lines of a span that stands alone on them (nothing else, not even a comment), else null. */
    private static TextEdit wholeLines(Source source, Span span) {
        int start = source.offsetOf(span.line(), 1);
        int lineEnd = source.offsetOf(span.endLine(), 1) + source.line(span.endLine()).length();
        if (!source.text().substring(start, span.start()).isBlank() || !source.text().substring(span.end(), lineEnd).isBlank()) {
            return null;
        }
        int end = span.endLine() < source.lineCount() ? source.offsetOf(span.endLine() + 1, 1) : lineEnd;
        return new TextEdit(Ranges.of(Span.of(source, start, end)), "");
    }

    private static TextEdit allow(Source source, Diagnostic d) {
        int line = d.span().line();
        String lint = d.code().lint();
        if (line > 1) {
            Matcher above = ALLOW_ALONE.matcher(source.line(line - 1));
            if (above.matches()) {
                // after the names, before a block comment's `*/`
                int at = source.offsetOf(line - 1, 1) + above.end(2);
                return new TextEdit(Ranges.of(Span.of(source, at, at)), ", " + lint);
            }
        }
        String text = source.line(line);
        String indent = text.substring(0, text.length() - text.stripLeading().length());
        int start = source.offsetOf(line, 1);
        return new TextEdit(Ranges.of(Span.of(source, start, start)), indent + "// freestone:allow " + lint + "\n");
    }

    private static CodeAction action(String uri, Diagnostic d, String title, TextEdit edit) {
        CodeAction a = new CodeAction(title);
        a.setKind(CodeActionKind.QuickFix);
        a.setDiagnostics(List.of(Session.toLsp(d)));
        a.setEdit(new WorkspaceEdit(Map.of(uri, List.of(edit))));
        return a;
    }
}
