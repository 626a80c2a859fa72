package dev.freestone.lsp;

import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Between the compiler's places and the protocol's. A {@link Span} has 1-based lines and columns
 * counted in UTF-16 units (Java chars); an LSP {@link Position} is 0-based in the same units, so the
 * conversion is a shift by one. Line breaks are {@code \n}, {@code \r\n} and a lone {@code \r} on
 * both sides.
 */
final class Ranges {
    private Ranges() {
    }

    static Range of(Span span) {
        return new Range(new Position(span.line() - 1, span.column() - 1),
                new Position(span.endLine() - 1, span.endColumn() - 1));
    }

    /** The character offset of a position, clamped to the end of its line and to the text. */
    static int offset(Source source, Position position) {
        int line = Math.max(0, position.getLine()) + 1;
        if (line > source.lineCount()) {
            return source.text().length();
        }
        int start = source.offsetOf(line, 1);
        int length = source.line(line).length();
        return start + Math.min(Math.max(0, position.getCharacter()), length);
    }

    /** The range of the whole text (for edits that replace it). */
    static Range whole(Source source) {
        Span all = Span.of(source, 0, source.text().length());
        return of(all);
    }
}
