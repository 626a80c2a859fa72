package dev.freestone.lower.argo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds Argo variable references in a string: simple tags ({@code {{inputs.parameters.x}}}) and the variables
 * inside expression tags ({@code {{=asInt(inputs.parameters.n) + 1}}}). Like Argo, a simple tag is looked at
 * only when it starts with one of Argo's roots ({@code inputs. outputs. tasks. steps. workflow. pod. item});
 * anything else ({@code {{.Values.x}}} of a Helm chart, a Jinja template) is left alone.
 */
final class References {
    static final Set<String> ROOTS = Set.of("inputs", "outputs", "tasks", "steps", "workflow", "pod", "item");

    /** A reference: its segments ({@code [tasks, a, outputs, result]}), and how it was written. */
    record Reference(List<String> segments, String written, boolean inExpression) {
        String dotted() {
            return String.join(".", segments);
        }
    }

    private References() {
    }

    static List<Reference> in(String s) {
        List<Reference> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = s.indexOf("{{", from);
            if (open < 0) {
                return out;
            }
            int close = s.indexOf("}}", open + 2);
            if (close < 0) {
                return out;
            }
            String tag = s.substring(open + 2, close);
            from = close + 2;
            if (tag.startsWith("=")) {
                String written = s.substring(open, close + 2); // one copy shared by every chain of a long expression
                for (List<String> chain : chains(tag.substring(1))) {
                    out.add(new Reference(chain, written, true));
                }
            } else {
                String t = tag.trim();
                String root = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
                if (ROOTS.contains(root) && (t.contains(".") || t.equals("item"))) {
                    out.add(new Reference(split(t), "{{" + tag + "}}", false));
                }
            }
        }
    }

    /** The segments of a simple tag; label and annotation keys keep their dots. */
    private static List<String> split(String tag) {
        for (String keyed : List.of("workflow.labels.", "workflow.annotations.")) {
            if (tag.startsWith(keyed) && tag.length() > keyed.length()) {
                String key = tag.substring(keyed.length());
                List<String> out = new ArrayList<>(List.of(keyed.substring(0, keyed.length() - 1).split("\\.")));
                out.add(key);
                return out;
            }
        }
        return List.of(tag.split("\\.", -1));
    }

    /**
     * The variable chains of an expr-lang expression that start at an Argo root: {@code a.b['c'].d} gives
     * {@code [a, b, c, d]}; a chain ends at a call, a computed index or any other token. String literals,
     * member names after a dot and closure variables ({@code #}) are not roots.
     */
    static List<List<String>> chains(String expr) {
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        char previous = ' ';
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipString(expr, i);
                previous = c;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (isIdentStart(c)) {
                int start = i;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
                String ident = expr.substring(start, i);
                if (previous == '.' || previous == '#' || !ROOTS.contains(ident)) {
                    previous = 'a';
                    continue;
                }
                List<String> chain = new ArrayList<>(List.of(ident));
                while (i < n) {
                    if (expr.charAt(i) == '.' && i + 1 < n && isIdentStart(expr.charAt(i + 1))) {
                        int s = ++i;
                        while (i < n && isIdentPart(expr.charAt(i))) {
                            i++;
                        }
                        chain.add(expr.substring(s, i));
                    } else if (expr.charAt(i) == '[' && i + 1 < n && (expr.charAt(i + 1) == '\'' || expr.charAt(i + 1) == '"')) {
                        int end = skipString(expr, i + 1);
                        if (end < n && expr.charAt(end) == ']') {
                            chain.add(expr.substring(i + 2, end - 1));
                            i = end + 1;
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                // a call such as inputs.parameters.x(...) is not a variable; leave it alone
                if (!(i < n && expr.charAt(i) == '(')) {
                    out.add(List.copyOf(chain));
                }
                previous = 'a';
                continue;
            }
            previous = c;
            i++;
        }
        return out;
    }

    private static int skipString(String s, int at) {
        char quote = s.charAt(at);
        int i = at + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
