package dev.freestone.lower.argo;

/**
 * Text that goes inside Argo's {@code {{=...}}} expressions. Argo finds a tag's end at the first
 * {@code }}}, JSON-decodes the tag, and treats an expression holding both {@code ?} and {@code :} as a
 * ternary split at its first {@code ?}; so literals never carry a raw brace, quote, backslash, question
 * mark or colon: those are written as {@code \\uXXXX} escapes of expr-lang's single-quoted strings.
 */
final class Lit {
    private Lit() {
    }

    /** An expr-lang single-quoted string literal that is safe inside a template tag. */
    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '\'' || c == '"' || c == '\\' || c == '{' || c == '}' || c == '?' || c == ':'
                    || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** Keeps generated code from ever containing {@code {{} or {@code }}} (map literals and closures nest braces). */
    static String unbrace(String code) {
        String out = code;
        while (out.contains("}}") || out.contains("{{")) {
            out = out.replace("}}", "} }").replace("{{", "{ {");
        }
        return out;
    }

    /** Member access that works for any name (hyphens are minus signs in expr-lang). */
    static String key(String name) {
        return "['" + name + "']";
    }
}
