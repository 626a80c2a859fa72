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

    /** The longest source line quoted whole; a longer one is quoted {@link #CONTEXT} characters around the place. */
    static final int MAX_QUOTED = 400;
    private static final int CONTEXT = 80;
    private static final String ELLIPSIS = "…";

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
            // columns count UTF-16 units; the carets go by terminal columns (a CJK character takes two)
            int start = Math.min(s.column() - 1, expanded.length());
            int end = s.endLine() == s.line() ? Math.min(Math.max(start, s.endColumn() - 1), expanded.length())
                    : expanded.length();
            if (expanded.length() > MAX_QUOTED) {
                // a generated or minified line (one of 50 MB) is quoted around the place, not whole
                int from = Math.max(0, start - CONTEXT);
                int to = Math.min(expanded.length(), Math.max(end, start + 1) + CONTEXT);
                to = Math.min(to, from + MAX_QUOTED);
                from -= from > 0 && Character.isLowSurrogate(expanded.charAt(from)) ? 1 : 0;
                to += to < expanded.length() && Character.isLowSurrogate(expanded.charAt(to)) ? 1 : 0;
                String before = from > 0 ? ELLIPSIS : "";
                String cut = before + expanded.substring(from, to) + (to < expanded.length() ? ELLIPSIS : "");
                start = start - from + before.length();
                end = Math.min(end - from, to - from) + before.length();
                expanded = cut;
            }
            out.append(pad).append(paint(BLUE, " |")).append('\n');
            out.append(paint(BLUE, lineNo + " |")).append(' ').append(expanded).append('\n');
            int width = Math.max(1, displayWidth(expanded.substring(start, end)));
            out.append(pad).append(paint(BLUE, " |")).append(' ')
                    .append(" ".repeat(displayWidth(expanded.substring(0, start))))
                    .append(paint(sevColor, "^".repeat(width))).append('\n');
        }
        if (!d.help().isEmpty()) {
            out.append(pad).append(paint(BLUE, " = ")).append(paint(BOLD, "help:")).append(' ').append(d.help()).append('\n');
        }
        return out.toString();
    }

    /**
     * How many terminal columns a text takes: East Asian wide and fullwidth characters and emoji take
     * two, combining marks and zero-width characters none, everything else one (Markus Kuhn's wcwidth).
     */
    static int displayWidth(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || (cp >= 0xFE00 && cp <= 0xFE0F)) {
                continue;
            }
            width += isWide(cp) ? 2 : 1;
        }
        return width;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || cp == 0x2329 || cp == 0x232A
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
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
