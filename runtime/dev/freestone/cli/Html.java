package dev.freestone.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The UI's HTML: every value that comes from the store (a parameter, a log line, a task id) goes through {@link #text}
 * or {@link #escaping}, so that a value written as markup ({@code <script>}) reads as the text it is; a link's path is
 * built from {@link #segment}s.
 */
final class Html {
    private Html() {
    }

    /** {@code s} as text in an element or an attribute's quotes. */
    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A writer that writes what it is given as text, escaped as {@link #text} escapes it: a log streamed into a page. */
    static Writer escaping(Writer out) {
        return new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                out.write(text(String.valueOf((char) c)));
            }

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                out.write(text(new String(buf, off, len)));
            }

            @Override
            public void write(String s, int off, int len) throws IOException {
                out.write(text(s.substring(off, off + len)));
            }
        };
    }

    /**
     * {@code s} as one segment of a URL's path, every byte but letters, digits and {@code -._~} percent-encoded: a task id
     * ({@code outer[0]/inner[1]}) stays one segment, and the server decodes it back with {@link #decode}.
     */
    static String segment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** A path segment with its percent-escapes decoded as UTF-8 ({@code +} stays a plus); empty when an escape is broken. */
    static java.util.Optional<String> decode(String segment) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= segment.length()) {
                return java.util.Optional.empty();
            }
            int hi = Character.digit(segment.charAt(i + 1), 16);
            int lo = Character.digit(segment.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return java.util.Optional.empty();
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return java.util.Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * A table of {@code rows}, the first the header: each cell escaped, then given to {@code cell} with its row and
     * column (a link around a run's id); a row whose cells are all empty is left out.
     */
    static String table(List<String[]> rows, CellMarkup cell) {
        StringBuilder out = new StringBuilder("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            if (java.util.Arrays.stream(row).allMatch(String::isEmpty)) {
                continue;
            }
            boolean head = r == 0 || cell.header(row);
            out.append("<tr>");
            for (int c = 0; c < row.length; c++) {
                String tag = head ? "th" : "td";
                out.append('<').append(tag).append('>').append(head ? text(row[c]) : cell.markup(row, c, text(row[c])))
                        .append("</").append(tag).append('>');
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    /** How a table's cells are marked up beyond their text. */
    interface CellMarkup {
        /** The cell's markup, from its escaped text. */
        String markup(String[] row, int column, String escaped);

        /** Whether a row after the first is a header too (the metrics comparison's PARAMETER and METRIC rows). */
        default boolean header(String[] row) {
            return false;
        }
    }

    /** A cell's markup: its escaped text as it is. */
    static final CellMarkup PLAIN = (row, column, escaped) -> escaped;

    /** A link to {@code href} (built of {@link #segment}s) around markup that is escaped already. */
    static String link(String href, String escaped) {
        return "<a href=\"" + text(href) + "\">" + escaped + "</a>";
    }

    /** The markup of column {@code column} linked by {@code href}, every other cell plain. */
    static CellMarkup linkIn(int column, Function<String[], String> href) {
        return (row, c, escaped) -> c == column ? link(href.apply(row), escaped) : escaped;
    }

    private static final String STYLE = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
            nav { margin-bottom: 1em; } nav a { margin-right: 1em; }
            table { border-collapse: collapse; margin: .5em 0 1em; }
            th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            td.v, pre { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
            pre { background: #f8f8f8; border: 1px solid #ddd; padding: .6em; }
            .note { color: #555; }
            section.report { margin: 1em 0 2em; } h3 .note { font-weight: normal; font-size: 13px; }
            iframe.report { width: 100%; height: 36em; border: 1px solid #ccc; }
            .markdown { max-width: 60em; border-left: 3px solid #ddd; padding-left: 1em; } .markdown img { max-width: 100%; }
            .classification { display: flex; flex-wrap: wrap; gap: 1em 3em; align-items: flex-start; }
            table.matrix td { text-align: right; min-width: 3em; }
            table.matrix caption { text-align: left; color: #555; white-space: nowrap; padding-bottom: .3em; }
            figure.roc { margin: .5em 0 1em; } figure.roc figcaption { color: #555; }
            .bar { height: 4px; background: #1f77b4; margin-top: 2px; }
            """;

    /** A whole page: {@code body} is markup; with {@code refresh}, the page reloads itself every two seconds. */
    static String page(String title, boolean refresh, String body) {
        return head(title, refresh) + body + END;
    }

    /** A page up to its body: what a page streamed (a log) writes first, {@link #END} last. */
    static String head(String title, boolean refresh) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + (refresh ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")
                + "<title>" + text(title) + " - Freestone</title><style>" + STYLE + "</style></head>\n<body>\n"
                + "<nav><a href=\"/\">Runs</a></nav>\n<h1>" + text(title) + "</h1>\n";
    }

    static final String END = "</body></html>\n";
}
