package dev.freestone.diag;

import java.util.List;

/**
 * Renders diagnostics the way rustc does:
 *
 * <pre>
 * error[E0102]: unknown output `acuracy` of step `fit`
 *   --> train.pipe:12:18
 *    |
 * 12 |   best = pick(score = fit.acuracy)
 *    |                           ^^^^^^^
 *    = help: did you mean `accuracy`?
 * </pre>
 *
 * Colour is used only when asked (the CLI asks when standard error is a terminal).
 */
public final class Renderer {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String BLUE = "\u001b[1;34m";

    private final boolean color;

    public Renderer(boolean color) {
        this.color = color;
    }

    public String render(List<Diagnostic> diagnostics) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            out.append(render(d)).append('\n');
        }
        return out.toString();
    }

    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        Span s = d.span();
        String sevColor = d.isError() ? RED : YELLOW;
        out.append(paint(sevColor, d.severity().label() + "[" + d.code().name() + "]"))
                .append(paint(BOLD, ": " + d.message()));
        if (d.code().lint() != null) {
            out.append(paint(BOLD, " [" + d.code().lint() + "]"));
        }
        out.append('\n');
        String lineNo = String.valueOf(s.line());
        String pad = " ".repeat(lineNo.length());
        out.append(pad).append(paint(BLUE, "--> ")).append(s.path()).append(':').append(s.line()).append(':')
                .append(s.column()).append('\n');
        String text = s.source().line(s.line());
        if (!text.isEmpty() || s.source().text().length() > 0) {
            String expanded = text.replace('\t', ' ');
            out.append(pad).append(paint(BLUE, " |")).append('\n');
            out.append(paint(BLUE, lineNo + " |")).append(' ').append(expanded).append('\n');
            int startCol = s.column();
            int endCol = s.endLine() == s.line() ? s.endColumn() : expanded.length() + 1;
            int width = Math.max(1, endCol - startCol);
            out.append(pad).append(paint(BLUE, " |")).append(' ')
                    .append(" ".repeat(Math.max(0, startCol - 1)))
                    .append(paint(sevColor, "^".repeat(width))).append('\n');
        }
        if (!d.help().isEmpty()) {
            out.append(pad).append(paint(BLUE, " = ")).append(paint(BOLD, "help:")).append(' ').append(d.help()).append('\n');
        }
        return out.toString();
    }

    /** One line per diagnostic: {@code file:line:col: error[E0101]: message}. */
    public static String shortForm(Diagnostic d) {
        Span s = d.span();
        return s.path() + ":" + s.line() + ":" + s.column() + ": " + d.severity().label() + "[" + d.code().name() + "]: "
                + d.message();
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }
}
