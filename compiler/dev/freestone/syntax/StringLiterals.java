package dev.freestone.syntax;

import java.util.ArrayList;
import java.util.List;

/** The text rules of string literals: escape decoding and the indentation trimming of {@code """} strings. */
final class StringLiterals {
    private StringLiterals() {
    }

    /**
     * Decodes one escape token (newline, tab, quote, backslash-u with 4 hex digits or with braces, ...); returns null when
     * the escape names no character (a code point beyond U+10FFFF).
     */
    static String decodeEscape(String escape) {
        if (escape.length() < 2 || escape.charAt(0) != '\\') {
            return null;
        }
        char c = escape.charAt(1);
        switch (c) {
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 't':
                return "\t";
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case '$':
                return "$";
            case '0':
                return "\0";
            case 'u':
                String hex = escape.startsWith("\\u{") ? escape.substring(3, escape.length() - 1) : escape.substring(2);
                if (hex.isEmpty() || hex.length() > 8) {
                    return null;
                }
                int cp = Integer.parseUnsignedInt(hex, 16);
                return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
            default:
                return null;
        }
    }

    /**
     * The body of a triple-quoted string, like Kotlin's {@code trimIndent}: the first and the last line
     * are dropped when blank, and the indentation common to the non-blank lines is removed from every line.
     * Line ends become {@code \n}.
     */
    static String trimIndent(String raw) {
        List<String> lines = splitLines(raw);
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, indentWidth(line));
            }
        }
        if (common == Integer.MAX_VALUE) {
            common = 0;
        }
        StringBuilder out = new StringBuilder();
        int last = lines.size() - 1;
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if ((i == 0 || i == last) && line.isBlank()) {
                continue;
            }
            if (!first) {
                out.append('\n');
            }
            first = false;
            out.append(line.length() <= common ? "" : line.substring(common));
        }
        return out.toString();
    }

    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    private static int indentWidth(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
