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
     * How many columns a terminal gives {@code text} on one line, as Markus Kuhn's {@code wcwidth} counts them: two for
     * an East Asian wide or full-width character and an emoji, none for a combining mark, a format character (a
     * zero-width joiner, a bidi override) or a control character, one for the rest; a surrogate pair is one character.
     * Carets under a quoted line and the CLI's tables are placed so. Emoji sequences (joined, with a skin tone) are
     * counted per code point: terminals differ.
     */
    public static int displayWidth(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || (type == Character.FORMAT && c != 0xAD) || (c >= 0x1160 && c <= 0x11FF)) {
                continue;
            }
            n += wide(c) ? 2 : 1;
        }
        return n;
    }

    /**
     * The code points a terminal shows two columns wide: Unicode's East Asian Wide and Fullwidth blocks (Hangul, CJK,
     * kana, full-width forms) and the emoji blocks, by block (a few text-style symbols among them are narrow).
     */
    private static final int[][] WIDE = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
        {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
        {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
        {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
        {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
        {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E},
        {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3},
        {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4},
        {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
        {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB},
        {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };

    private static boolean wide(int c) {
        int lo = 0;
        int hi = WIDE.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (c < WIDE[mid][0]) {
                hi = mid - 1;
            } else if (c > WIDE[mid][1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
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
