package dev.freestone.syntax;

import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns ANTLR token positions into {@link Span}s. ANTLR counts code points while {@link Source} counts
 * Java chars, so a file with characters outside the BMP needs a translation table.
 */
final class TokenSpans {
    private final Source source;
    private final List<Token> tokens;
    /** char offset of each code point index; null when the text has no surrogate pairs. */
    private final int[] charOffset;

    TokenSpans(Source source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
        String text = source.text();
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            charOffset = null;
        } else {
            charOffset = new int[codePoints + 1];
            int cp = 0;
            for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
                charOffset[cp++] = i;
            }
            charOffset[cp] = text.length();
        }
    }

    Source source() {
        return source;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** char offset of a code point index, clamped to the text. */
    int offset(int codePointIndex) {
        if (codePointIndex < 0) {
            return 0;
        }
        if (charOffset == null) {
            return Math.min(codePointIndex, source.text().length());
        }
        return charOffset[Math.min(codePointIndex, charOffset.length - 1)];
    }

    static boolean isReal(Token t) {
        return t != null && t.getTokenIndex() >= 0 && t.getStartIndex() >= 0;
    }

    int start(Token t) {
        return offset(t.getStartIndex());
    }

    int end(Token t) {
        if (t.getType() == Token.EOF) {
            return start(t);
        }
        return Math.max(start(t), offset(t.getStopIndex() + 1));
    }

    Span span(Token t) {
        return Span.of(source, start(t), end(t));
    }

    Span span(Token first, Token last) {
        int s = start(first);
        return Span.of(source, s, Math.max(s, end(last)));
    }

    /** From the first to the last token of a rule; empty at its start when it matched nothing. */
    Span span(ParserRuleContext ctx) {
        Token first = ctx.getStart();
        Token last = ctx.getStop();
        if (!isReal(first)) {
            return Span.of(source, 0, 0);
        }
        if (!isReal(last) || last.getTokenIndex() < first.getTokenIndex()) {
            int s = start(first);
            return Span.of(source, s, s);
        }
        return span(first, last);
    }

    /** The last default-channel token before index {@code i}, or null. */
    Token previousReal(int i) {
        for (int j = Math.min(i, tokens.size()) - 1; j >= 0; j--) {
            Token t = tokens.get(j);
            if (t.getChannel() == Token.DEFAULT_CHANNEL && t.getType() != Token.EOF) {
                return t;
            }
        }
        return null;
    }

    /** A zero-width span just past the last real token before index {@code i} (used for "missing" errors). */
    Span afterPrevious(int i) {
        Token prev = previousReal(i);
        int at = prev == null ? 0 : end(prev);
        return Span.of(source, at, at);
    }
}
