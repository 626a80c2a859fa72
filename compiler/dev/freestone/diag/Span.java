package dev.freestone.diag;

/**
 * A region of a source file: half-open character offsets plus the 1-based line and column of
 * both ends (the end column points just past the last character). Every AST node has one.
 */
public record Span(Source source, int start, int end, int line, int column, int endLine, int endColumn) {

    public static Span of(Source source, int start, int end) {
        int s = Math.max(0, start);
        int e = Math.max(s, end);
        return new Span(source, s, e, source.lineOf(s), source.columnOf(s), source.lineOf(e), source.columnOf(e));
    }

    /** A span for things that have no place in a file (built-ins, command-line arguments). */
    public static Span synthetic(String name) {
        Source src = new Source(name, "");
        return new Span(src, 0, 0, 1, 1, 1, 1);
    }

    public String path() {
        return source.path();
    }

    public Span to(Span other) {
        if (other == null || other.source != source) {
            return this;
        }
        return of(source, Math.min(start, other.start), Math.max(end, other.end));
    }

    public String text() {
        return source.text().substring(Math.min(start, source.text().length()), Math.min(end, source.text().length()));
    }

    public boolean contains(int offset) {
        return offset >= start && offset <= end;
    }

    @Override
    public String toString() {
        return source.path() + ":" + line + ":" + column;
    }
}
