package dev.freestone.diag;

import java.util.Arrays;

/**
 * The text of one input file and a line index over it. {@code path} is the name shown to the
 * user (as given on the command line, or {@code stdlib/<module>.pipe} for the standard library). A
 * leading byte order mark is dropped, so places are counted as editors count them.
 */
public final class Source {
    private final String path;
    private final String text;
    private final int[] lineStarts;

    public Source(String path, String text) {
        this.path = path;
        // a UTF-8 byte order mark (Notepad writes one) is no character of the text, and editors do not show it
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < this.text.length(); i++) {
            char c = this.text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= this.text.length() || this.text.charAt(i + 1) != '\n'))) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** 1-based line of a 0-based character offset. */
    public int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, Math.max(0, Math.min(offset, text.length())));
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** 1-based column (in characters) of a 0-based character offset. */
    public int columnOf(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        return clamped - lineStarts[lineOf(clamped) - 1] + 1;
    }

    /** 0-based offset of a 1-based line and column. */
    public int offsetOf(int line, int column) {
        int l = Math.max(1, Math.min(line, lineStarts.length));
        return Math.min(text.length(), lineStarts[l - 1] + Math.max(0, column - 1));
    }

    /** The text of a 1-based line without its line terminator. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) {
            return "";
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(start, end);
    }

    public Span span(int startOffset, int endOffset) {
        return Span.of(this, startOffset, endOffset);
    }

    @Override
    public String toString() {
        return path;
    }
}
