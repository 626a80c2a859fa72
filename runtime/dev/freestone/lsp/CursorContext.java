package dev.freestone.lsp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the cursor is, read from the text alone (what is being typed rarely parses): inside a string
 * or a comment, after {@code name.}, inside the parentheses of a call (and whether at an argument's
 * name or its value), where a type is written, where a declaration's parameter or a struct's field is
 * named, at the start of a line directly in a declaration's body, after {@code after}, or outside
 * every bracket (the top level of the file). A small scanner that follows the lexer's rules for
 * comments, strings ({@code "..."} ending at the line's end, {@code ${...}} nesting, {@code """...""")
 * and brackets, from the start of the text to the cursor.
 */
record CursorContext(boolean inStringOrComment, String prefix, String dotTarget, Call call, boolean typePosition,
        boolean topLevel, boolean parameterName, boolean bodyLineStart, boolean afterClause, WithBlock withBlock) {

    /** Whose {@code with { ... }} a setting is begun in at the cursor: a pipeline's own (after its signature), or a call's. */
    enum WithBlock {
        PIPELINE, CALL
    }


    /**
     * The innermost call around the cursor: {@code qualifier.callee(} with the argument names already given, and
     * the name of the argument whose value the cursor is in ({@code current}, null at an argument's name), and how
     * many arguments come before the cursor's ({@code position}: the builtins' arguments are positional).
     */
    record Call(String qualifier, String callee, Set<String> given, boolean atArgumentName, String current, int position) {
    }

    private enum Kind { CALL, DECL_PARAMS, GROUP, BRACKET, BRACE, STRUCT_BODY, INTERP, STRING }

    private static final class Frame {
        final Kind kind;
        final String qualifier;
        final String callee;
        final Set<String> given = new LinkedHashSet<>();
        boolean sawEquals;
        String current;
        int commas;

        Frame(Kind kind, String qualifier, String callee) {
            this.kind = kind;
            this.qualifier = qualifier;
            this.callee = callee;
        }
    }

    static CursorContext at(String text, int cursor) {
        int end = Math.max(0, Math.min(cursor, text.length()));
        List<Frame> stack = new ArrayList<>();
        int i = 0;
        while (i < end) {
            Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
            char c = text.charAt(i);
            if (top != null && top.kind == Kind.STRING) {
                if (c == '"' || c == '\n' || c == '\r') {
                    pop(stack);
                    i++;
                } else if (c == '\\') {
                    i += 2;
                } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                    stack.add(new Frame(Kind.INTERP, null, null));
                    i += 2;
                } else {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                int nl = lineEnd(text, i);
                if (nl >= end) {
                    return inside();
                }
                i = nl;
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0 || close + 2 > end) {
                    return inside();
                }
                i = close + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                int close = text.indexOf("\"\"\"", i + 3);
                if (close < 0 || close + 3 > end) {
                    return inside();
                }
                i = close + 3;
            } else if (c == '"') {
                stack.add(new Frame(Kind.STRING, null, null));
                i++;
            } else if (c == '(') {
                stack.add(paren(text, i));
                i++;
            } else if (c == '[') {
                // `List[` and `Map[` remember the type's name; a list literal or an index has none
                stack.add(new Frame(Kind.BRACKET, null, identBefore(text, i)));
                i++;
            } else if (c == '{') {
                // a brace remembers the word before it: `with` opens settings
                stack.add(isStructBody(text, i) ? new Frame(Kind.STRUCT_BODY, null, null)
                        : new Frame(Kind.BRACE, null, identBefore(text, i)));
                i++;
            } else if (c == ')' || c == ']' || c == '}') {
                close(stack, c);
                i++;
            } else if (c == ',' && top != null) {
                top.sawEquals = false;
                top.current = null;
                top.commas++;
                i++;
            } else if (c == '=' && top != null && !isOperator(text, i)) {
                if (!top.sawEquals) {
                    String name = identBefore(text, i);
                    if (name != null) {
                        top.given.add(name);
                    }
                    top.current = name;
                }
                top.sawEquals = true;
                i++;
            } else {
                i++;
            }
        }
        Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        if (top != null && top.kind == Kind.STRING) {
            return inside();
        }
        int prefixStart = end;
        while (prefixStart > 0 && isIdentPart(text.charAt(prefixStart - 1))) {
            prefixStart--;
        }
        String prefix = text.substring(prefixStart, end);
        String dotTarget = null;
        if (prefixStart > 0 && text.charAt(prefixStart - 1) == '.') {
            dotTarget = identBefore(text, prefixStart - 1);
        }
        Call call = null;
        if (top != null && top.kind == Kind.CALL) {
            call = new Call(top.qualifier, top.callee, Set.copyOf(top.given), !top.sawEquals, top.sawEquals ? top.current : null,
                    top.commas);
        }
        boolean typePosition = false;
        // `alias.Name` in a type: what comes before the alias decides
        int j = skipSpaceBack(text, dotTarget == null ? prefixStart : skipSpaceBack(text, prefixStart - 1) - dotTarget.length());
        char before = j > 0 ? text.charAt(j - 1) : '\0';
        if (top != null && (top.kind == Kind.DECL_PARAMS || top.kind == Kind.STRUCT_BODY)) {
            typePosition = before == ':';
        } else if (top != null && top.kind == Kind.BRACKET && top.callee != null && (before == '[' || before == ',')) {
            // inside `List[...]` or `Map[..., ...]` of a declaration's type
            Frame owner = null;
            for (int k = stack.size() - 1; k >= 0 && owner == null; k--) {
                Frame f = stack.get(k);
                if (f.kind != Kind.BRACKET || f.callee == null) {
                    owner = f;
                }
            }
            typePosition = owner != null && (owner.kind == Kind.DECL_PARAMS || owner.kind == Kind.STRUCT_BODY);
        }
        boolean lineStart = before == '\n' || before == '\r' || before == '\0';
        // where a declaration's parameter or a struct's field is named (not its type or default): a new name
        boolean parameterName = top != null && !typePosition && dotTarget == null
                && ((top.kind == Kind.DECL_PARAMS && !top.sawEquals && (before == '(' || before == ',' || lineStart))
                        || (top.kind == Kind.STRUCT_BODY && (before == '{' || before == ',' || lineStart)));
        // the start of a line directly in a declaration's body, where a setting or a statement begins
        boolean bodyLineStart = stack.size() == 1 && top.kind == Kind.BRACE && dotTarget == null
                && (before == '{' || before == '}' || lineStart);
        boolean afterClause = dotTarget == null && (top == null || top.kind == Kind.BRACE) && inAfterClause(text, prefixStart);
        // where a setting of a `with { ... }` begins: one frame deep it follows a pipeline's signature, deeper a call
        WithBlock with = top != null && top.kind == Kind.BRACE && "with".equals(top.callee) && dotTarget == null
                && (before == '{' || before == '}' || lineStart) ? (stack.size() == 1 ? WithBlock.PIPELINE : WithBlock.CALL) : null;
        return new CursorContext(false, prefix, dotTarget, call, typePosition, stack.isEmpty(), parameterName, bodyLineStart,
                afterClause, with);
    }

    /** Whether {@code at} is where a step of {@code after a, b} is named: after the keyword or a comma of its list. */
    private static boolean inAfterClause(String text, int at) {
        int j = skipSpaceBack(text, at);
        while (true) {
            String word = identBefore(text, j);
            if ("after".equals(word)) {
                return true;
            }
            if (word != null || j == 0 || text.charAt(j - 1) != ',') {
                return false;
            }
            // `, ` of the list: the step named before it, then what comes before that
            int k = skipSpaceBack(text, j - 1);
            String step = identBefore(text, k);
            if (step == null) {
                return false;
            }
            j = skipSpaceBack(text, skipSpaceBack(text, k) - step.length());
        }
    }

    private static CursorContext inside() {
        return new CursorContext(true, "", null, null, false, false, false, false, false, null);
    }

    private static void pop(List<Frame> stack) {
        stack.remove(stack.size() - 1);
    }

    /** Pops the innermost frame the closer matches, never across a string or an interpolation. */
    private static void close(List<Frame> stack, char c) {
        for (int k = stack.size() - 1; k >= 0; k--) {
            Kind kind = stack.get(k).kind;
            boolean matches = switch (c) {
                case ')' -> kind == Kind.CALL || kind == Kind.DECL_PARAMS || kind == Kind.GROUP;
                case ']' -> kind == Kind.BRACKET;
                default -> kind == Kind.BRACE || kind == Kind.STRUCT_BODY || kind == Kind.INTERP;
            };
            if (matches) {
                while (stack.size() > k) {
                    pop(stack);
                }
                return;
            }
            if (kind == Kind.INTERP || kind == Kind.STRING) {
                return;
            }
        }
    }

    /** A {@code (}: a call of {@code [qualifier.]name}, the parameter list of a declaration, or a group. */
    private static Frame paren(String text, int at) {
        int j = skipSpaceBack(text, at);
        if (j >= 2 && text.startsWith("->", j - 2)) {
            return new Frame(Kind.DECL_PARAMS, null, null);
        }
        String name = identBefore(text, at);
        if (name == null) {
            return new Frame(Kind.GROUP, null, null);
        }
        int nameStart = skipSpaceBack(text, at) - name.length();
        int k = nameStart;
        String qualifier = null;
        if (k > 0 && text.charAt(k - 1) == '.') {
            qualifier = identBefore(text, k - 1);
        }
        String keyword = wordBefore(text, nameStart);
        if ("component".equals(keyword) || "pipeline".equals(keyword)) {
            return new Frame(Kind.DECL_PARAMS, null, null);
        }
        return new Frame(Kind.CALL, qualifier, name);
    }

    /** Whether the {@code {} at {@code at} opens {@code struct Name {}. */
    private static boolean isStructBody(String text, int at) {
        String name = identBefore(text, at);
        if (name == null) {
            return false;
        }
        return "struct".equals(wordBefore(text, skipSpaceBack(text, at) - name.length()));
    }

    /** {@code ==}, {@code !=}, {@code <=}, {@code >=} are not assignments. */
    private static boolean isOperator(String text, int at) {
        if (at + 1 < text.length() && text.charAt(at + 1) == '=') {
            return true;
        }
        if (at > 0) {
            char p = text.charAt(at - 1);
            return p == '=' || p == '!' || p == '<' || p == '>';
        }
        return false;
    }

    /** The identifier that ends just before {@code at} (spaces and tabs between allowed), or null. */
    static String identBefore(String text, int at) {
        int j = skipSpaceBack(text, at);
        int k = j;
        while (k > 0 && isIdentPart(text.charAt(k - 1))) {
            k--;
        }
        if (k == j || Character.isDigit(text.charAt(k))) {
            return null;
        }
        return text.substring(k, j);
    }

    private static String wordBefore(String text, int at) {
        return identBefore(text, Math.max(0, at));
    }

    private static int skipSpaceBack(String text, int at) {
        int j = Math.min(at, text.length());
        while (j > 0 && (text.charAt(j - 1) == ' ' || text.charAt(j - 1) == '\t')) {
            j--;
        }
        return j;
    }

    private static int lineEnd(String text, int from) {
        int j = from;
        while (j < text.length() && text.charAt(j) != '\n' && text.charAt(j) != '\r') {
            j++;
        }
        return j;
    }

    static boolean isIdentPart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
