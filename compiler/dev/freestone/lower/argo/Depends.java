package dev.freestone.lower.argo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Argo's enhanced {@code depends} expressions: task names, optionally with a result
 * ({@code A.Succeeded}, {@code B.AnySucceeded}), combined with {@code &&}, {@code ||}, {@code !} and parentheses.
 * <pre>
 *   or      := and ('||' and)*
 *   and     := not ('&&' not)*
 *   not     := '!' not | primary
 *   primary := '(' or ')' | TASK ('.' RESULT)?
 * </pre>
 */
final class Depends {
    /** The results a dependency can name; the last two are about a looped task's items. */
    static final Set<String> RESULTS = Set.of("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
            "AnySucceeded", "AllFailed");
    static final Set<String> ITEM_RESULTS = Set.of("AnySucceeded", "AllFailed");

    /** A task named in the expression, with the result it asks for (empty: the default, succeeded or skipped). */
    record Dependency(String task, Optional<String> result) {
    }

    /** Either the dependencies in order of appearance, or why the text does not parse. */
    record Parsed(List<Dependency> dependencies, Optional<String> error) {
    }

    private final String text;
    private int pos;
    private final List<Dependency> found = new ArrayList<>();

    private Depends(String text) {
        this.text = text;
    }

    static Parsed parse(String text) {
        Depends p = new Depends(text);
        try {
            p.skipSpace();
            if (p.pos == text.length()) {
                throw new Failure("the expression is empty");
            }
            p.or();
            p.skipSpace();
            if (p.pos < text.length()) {
                throw new Failure("unexpected `" + text.charAt(p.pos) + "` at column " + (p.pos + 1));
            }
            return new Parsed(List.copyOf(p.found), Optional.empty());
        } catch (Failure f) {
            return new Parsed(List.copyOf(p.found), Optional.of(f.getMessage()));
        }
    }

    private void or() {
        and();
        while (accept("||")) {
            and();
        }
    }

    private void and() {
        not();
        while (accept("&&")) {
            not();
        }
    }

    private void not() {
        if (accept("!")) {
            not();
            return;
        }
        primary();
    }

    private void primary() {
        skipSpace();
        if (accept("(")) {
            or();
            if (!accept(")")) {
                throw new Failure(pos >= text.length() ? "missing `)` at the end"
                        : "expected `)` at column " + (pos + 1));
            }
            return;
        }
        String task = word();
        if (task.isEmpty()) {
            throw new Failure(pos >= text.length() ? "a task name is missing at the end"
                    : "expected a task name at column " + (pos + 1) + ", found `" + text.charAt(pos) + "`");
        }
        Optional<String> result = Optional.empty();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            int at = pos;
            String r = word();
            if (!RESULTS.contains(r)) {
                throw new Failure("unknown task result `." + r + "` at column " + (at + 1)
                        + ": expected one of " + String.join(", ", RESULTS.stream().sorted().toList()));
            }
            result = Optional.of(r);
        }
        found.add(new Dependency(task, result));
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isNameChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    private boolean accept(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
