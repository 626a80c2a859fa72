package dev.freestone.lsp;

import dev.freestone.diag.Code;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The words after {@code freestone:allow} in a comment, which name warnings: completion offers the
 * warnings' lint names there (not those the comment names already), and hover over a name says which
 * warning it silences. The words are read as the checker reads them: every run of characters other than
 * commas and white space up to the end of the comment (a misspelt one is the checker's W0007).
 */
final class AllowComments {
    private static final String MARKER = "freestone:allow";

    /** One name being written or read: where it is in the text and what it says. */
    record Word(String text, int start, int end, Set<String> others) {
    }

    private AllowComments() {
    }

    /** The name at the offset inside a {@code freestone:allow} comment of the file, or null when there is none. */
    static Word wordAt(Ast.File file, int offset) {
        for (Ast.Comment c : file.comments()) {
            int start = c.span().start();
            int at = c.text().indexOf(MARKER);
            String names = c.text().endsWith("*/") ? c.text().substring(0, c.text().length() - 2) : c.text();
            int namesStart = start + at + MARKER.length();
            // the names begin after a separator: right after the marker a word would run into it
            if (at < 0 || offset <= namesStart || offset > start + names.length()) {
                continue;
            }
            int from = offset - start;
            int to = offset - start;
            while (from > at + MARKER.length() && !separator(names.charAt(from - 1))) {
                from--;
            }
            while (to < names.length() && !separator(names.charAt(to))) {
                to++;
            }
            Set<String> others = new HashSet<>();
            for (String w : names.substring(at + MARKER.length()).split("[,\\s]+")) {
                others.add(w.toLowerCase(Locale.ROOT));
            }
            String word = names.substring(from, to);
            others.remove(word.toLowerCase(Locale.ROOT));
            return new Word(word, start + from, start + to, others);
        }
        return null;
    }

    private static boolean separator(char ch) {
        return ch == ',' || Character.isWhitespace(ch);
    }

    /** The lint names a word can become, each replacing the whole word (a lint name holds `-`, which editors split words at). */
    static List<CompletionItem> completions(Source source, Word word) {
        Range replaced = Ranges.of(Span.of(source, word.start(), word.end()));
        List<CompletionItem> out = new ArrayList<>();
        for (Code code : Code.values()) {
            if (code.lint() == null || word.others().contains(code.lint())
                    || word.others().contains(code.name().toLowerCase(Locale.ROOT))) {
                continue;
            }
            CompletionItem item = new CompletionItem(code.lint());
            item.setKind(CompletionItemKind.Value);
            item.setDetail(code.name() + ": " + summary(code));
            item.setFilterText(code.lint());
            item.setTextEdit(Either.forLeft(new TextEdit(replaced, code.lint())));
            out.add(item);
        }
        return out;
    }

    /** Markdown naming the warning a word silences, or null when no warning has that name or code. */
    static String hover(Word word) {
        for (Code code : Code.values()) {
            if (code.lint() != null && (code.lint().equalsIgnoreCase(word.text()) || code.name().equalsIgnoreCase(word.text()))) {
                return "`" + code.lint() + "` (" + code.name() + "): silences the warning \"" + summary(code)
                        + "\" on this line" + " (and on the next when the comment stands alone on its line)";
            }
        }
        return null;
    }

    /** The message of a warning with its blanks shown as `…`. */
    private static String summary(Code code) {
        return code.template().replace("%s", "…");
    }
}
