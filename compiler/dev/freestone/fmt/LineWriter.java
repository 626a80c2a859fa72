package dev.freestone.fmt;

import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import java.util.List;

/**
 * The output of the formatter, line by line, with the file's comments put back: a comment alone on
 * its line comes out alone on a line before the next construct ({@link #leading}); a comment after
 * code comes out at the end of the line that holds that code ({@link #newline}). Positions are source
 * offsets: the formatter {@link #mark marks} how far into the source the code written so far reaches.
 */
final class LineWriter {
    static final int WIDTH = 100;
    private static final String INDENT = "  ";

    private final Source source;
    private final List<Ast.Comment> comments;
    /** For a comment after code on its line: where that code ends; -1 for a comment alone on its line. */
    private final int[] anchor;
    private final boolean[] emitted;
    private int firstPending;

    private final StringBuilder out = new StringBuilder();
    private int indent;
    private boolean lineStart = true;
    private int lastCode;
    private int lastItemEnd;
    private boolean firstInBlock = true;

    LineWriter(Ast.File file) {
        this.source = file.source();
        this.comments = file.comments();
        this.anchor = new int[comments.size()];
        this.emitted = new boolean[comments.size()];
        for (int i = 0; i < comments.size(); i++) {
            anchor[i] = codeBefore(i);
        }
    }

    /** Where the code before comment i ends on its line (skipping earlier comments there), or -1. */
    private int codeBefore(int i) {
        String text = source.text();
        int p = comments.get(i).span().start();
        int k = i - 1;
        while (p > 0) {
            char c = text.charAt(p - 1);
            if (c == '\n' || c == '\r') {
                return -1;
            }
            if (c == ' ' || c == '\t' || c == '\f') {
                p--;
                continue;
            }
            while (k >= 0 && comments.get(k).span().end() > p) {
                k--;
            }
            if (k >= 0 && comments.get(k).span().end() == p) {
                p = comments.get(k).span().start();
                continue;
            }
            return p;
        }
        return -1;
    }

    // --- writing --------------------------------------------------------------------------------------

    void write(String s) {
        if (lineStart) {
            out.append(INDENT.repeat(indent));
            lineStart = false;
        }
        out.append(s);
    }

    /** The code written so far reaches source offset {@code end}. */
    void mark(int end) {
        lastCode = Math.max(lastCode, end);
        lastItemEnd = Math.max(lastItemEnd, end);
    }

    /** Ends the line, after the comments that followed the code written on it. */
    void newline() {
        boolean closed = false;
        // a comment after code sits on that code's line, so none lies beyond the line where lastCode is
        int line = source.lineOf(lastCode);
        int lineEnd = line >= source.lineCount() ? Integer.MAX_VALUE : source.offsetOf(line + 1, 1);
        for (int i = firstPending; i < comments.size() && comments.get(i).span().start() <= lineEnd
                && anchor[i] <= lastCode; i++) {
            if (emitted[i] || anchor[i] < 0) {
                continue;
            }
            Ast.Comment c = comments.get(i);
            if (closed || lineStart) {
                // a line comment runs to the end of the line: what follows goes on lines of its own
                // (one each, as a comment alone on its line would come back on the next run)
                out.append('\n');
                lineStart = true;
                write(text(c));
                closed = true;
            } else {
                out.append(' ').append(text(c));
                closed = c.text().startsWith("//");
            }
            emit(i);
        }
        out.append('\n');
        lineStart = true;
    }

    /** Comments that sit before source offset {@code pos} and are not out yet, each on its own line. */
    void leading(int pos, boolean keepBlankLines) {
        for (int i = firstPending; i < comments.size() && comments.get(i).span().start() < pos; i++) {
            if (emitted[i]) {
                continue;
            }
            Ast.Comment c = comments.get(i);
            if (!lineStart) {
                newline();
            }
            if (keepBlankLines) {
                blankLineBefore(c.span().start());
            }
            write(text(c));
            emit(i);
            lastItemEnd = Math.max(lastItemEnd, c.span().end());
            firstInBlock = false;
            out.append('\n');
            lineStart = true;
        }
    }

    /** One blank line where the source had one or more before {@code start} (never first in a block). */
    void blankLineBefore(int start) {
        if (!firstInBlock && lineStart && start > lastItemEnd
                && source.lineOf(start) - source.lineOf(lastItemEnd) >= 2 && !endsWithBlankLine()) {
            out.append('\n');
        }
    }

    /** Starts an item of a sequence (declaration, statement, setting) at source offset {@code start}. */
    void beginItem(int start) {
        leading(start, true);
        blankLineBefore(start);
        firstInBlock = false;
    }

    void openBlock(int openBrace) {
        write("{");
        mark(openBrace + 1);
        indent++;  // first: comments flushed at the end of this line belong inside
        newline();
        firstInBlock = true;
    }

    void closeBlock(int closeBrace) {
        leading(closeBrace, false);
        indent--;
        write("}");
        mark(closeBrace + 1);
        firstInBlock = false;
    }

    void indent() {
        indent++;
    }

    void dedent() {
        indent--;
    }

    int indentLevel() {
        return indent;
    }

    /** The column the next character would be written at (0-based). */
    int column() {
        if (lineStart) {
            return indent * INDENT.length();
        }
        return out.length() - (out.lastIndexOf("\n") + 1);
    }

    /** Whether an unwritten comment lies in the source range (from, to). */
    boolean commentsWithin(int from, int to) {
        for (int i = firstPending; i < comments.size(); i++) {
            int s = comments.get(i).span().start();
            if (s >= to) {
                return false;
            }
            if (!emitted[i] && s > from) {
                return true;
            }
        }
        return false;
    }

    /** The offset of {@code ch} at or after {@code from}, outside comments; the text's end if none. */
    int find(char ch, int from) {
        String text = source.text();
        int ci = 0;
        for (int p = Math.max(0, from); p < text.length(); p++) {
            while (ci < comments.size() && comments.get(ci).span().end() <= p) {
                ci++;
            }
            if (ci < comments.size() && comments.get(ci).span().start() <= p) {
                p = comments.get(ci).span().end() - 1;
                continue;
            }
            if (text.charAt(p) == ch) {
                return p;
            }
        }
        return text.length();
    }

    /** Just past the comma that follows source offset {@code end}, if one does. */
    int afterComma(int end) {
        int p = find(',', end);
        String between = source.text().substring(Math.min(end, p), Math.min(p, source.text().length()));
        return p < source.text().length() && between.isBlank() ? p + 1 : end;
    }

    String finish() {
        leading(Integer.MAX_VALUE, true);
        if (!lineStart) {
            newline();
        }
        int start = 0;
        while (start < out.length() && out.charAt(start) == '\n') {
            start++;
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == '\n') {
            end--;
        }
        return end == start ? "" : out.substring(start, end) + "\n";
    }

    private boolean endsWithBlankLine() {
        int n = out.length();
        return n == 0 || (n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n');
    }

    /** A comment's text without trailing blanks on its lines (and with {@code \n} line ends). */
    private static String text(Ast.Comment c) {
        StringBuilder sb = new StringBuilder();
        for (String line : c.text().split("\r\n|\r|\n", -1)) {
            sb.append(sb.length() == 0 ? "" : "\n").append(line.stripTrailing());
        }
        return sb.toString();
    }

    private void emit(int i) {
        emitted[i] = true;
        while (firstPending < comments.size() && emitted[firstPending]) {
            firstPending++;
        }
    }
}
