package dev.freestone.fmt;

import dev.freestone.syntax.Ast;
import java.util.Set;

/**
 * Expressions, types and literals as canonical one-line text: spaces around binary operators, the
 * fewest parentheses that keep the tree, numbers as written, strings re-escaped.
 */
final class ExprText {
    private ExprText() {
    }

    /** Words that cannot be written as bare names. */
    static final Set<String> KEYWORDS = Set.of("import", "as", "component", "pipeline", "struct", "artifact", "if",
            "else", "for", "in", "parallel", "after", "with", "finally", "output", "script", "true", "false", "null",
            "and", "or", "not");

    // The binding strength of what an expression prints as; binary operators use BinaryOp.precedence.
    private static final int NOT = 2;
    private static final int PREFIX = 7;
    private static final int POSTFIX = 8;
    private static final int ATOM = 9;

    /** {@code indent} is the indentation level of the line, for the body of {@code """} strings. */
    static String expr(Ast.Expr e, int indent) {
        StringBuilder sb = new StringBuilder();
        expr(e, indent, sb);
        return sb.toString();
    }

    static int precedence(Ast.Expr e) {
        if (e instanceof Ast.Binary b) {
            return b.op().precedence;
        }
        if (e instanceof Ast.Unary u) {
            return u.op() == Ast.UnaryOp.NOT ? NOT : PREFIX;
        }
        if (e instanceof Ast.IntLit i && i.value() < 0) {
            return PREFIX;
        }
        if (e instanceof Ast.Member || e instanceof Ast.Index || e instanceof Ast.Call) {
            return POSTFIX;
        }
        return ATOM;
    }

    private static void expr(Ast.Expr e, int indent, StringBuilder sb) {
        if (e instanceof Ast.Name n) {
            sb.append(n.ident().name());
        } else if (e instanceof Ast.Member m) {
            operand(m.target(), precedence(m.target()) < POSTFIX, indent, sb);
            sb.append('.').append(m.name().name());
        } else if (e instanceof Ast.Index i) {
            operand(i.target(), precedence(i.target()) < POSTFIX, indent, sb);
            sb.append('[');
            expr(i.index(), indent, sb);
            sb.append(']');
        } else if (e instanceof Ast.Call c) {
            sb.append(callee(c)).append('(');
            for (int k = 0; k < c.args().size(); k++) {
                sb.append(k == 0 ? "" : ", ");
                arg(c.args().get(k), indent, sb);
            }
            sb.append(')');
        } else if (e instanceof Ast.Unary u) {
            Ast.Expr x = u.operand();
            if (u.op() == Ast.UnaryOp.NEG) {
                sb.append('-');
                operand(x, precedence(x) < PREFIX, indent, sb);
            } else {
                sb.append("not ");
                // `not` takes everything down to comparisons; `and`/`or` need parentheses
                operand(x, x instanceof Ast.Binary b && b.op().precedence < NOT, indent, sb);
            }
        } else if (e instanceof Ast.Binary b) {
            int p = b.op().precedence;
            operand(b.left(), precedence(b.left()) < p, indent, sb);
            sb.append(' ').append(b.op().symbol).append(' ');
            // left-associative: an equal operator on the right needs parentheses; so does a `not`
            // under anything tighter than `and`, since its operand would swallow what follows
            operand(b.right(), precedence(b.right()) <= p, indent, sb);
        } else if (e instanceof Ast.ListLit l) {
            sb.append('[');
            for (int k = 0; k < l.elements().size(); k++) {
                sb.append(k == 0 ? "" : ", ");
                expr(l.elements().get(k), indent, sb);
            }
            sb.append(']');
        } else if (e instanceof Ast.MapLit m) {
            sb.append('{');
            for (int k = 0; k < m.entries().size(); k++) {
                sb.append(k == 0 ? "" : ", ");
                entry(m.entries().get(k), indent, sb);
            }
            sb.append('}');
        } else if (e instanceof Ast.StringLit s) {
            string(s, indent, sb);
        } else if (e instanceof Ast.IntLit || e instanceof Ast.FloatLit) {
            sb.append(number(e));
        } else if (e instanceof Ast.BoolLit b) {
            sb.append(b.value());
        } else if (e instanceof Ast.NullLit) {
            sb.append("null");
        } else if (e instanceof Ast.DurationLit d) {
            sb.append(d.text());
        } else if (e instanceof Ast.QuantityLit q) {
            sb.append(q.text());
        } else if (e instanceof Ast.BadUnitLit b) {
            sb.append(b.text());
        }
    }

    private static void operand(Ast.Expr e, boolean parens, int indent, StringBuilder sb) {
        if (parens) {
            sb.append('(');
        }
        expr(e, indent, sb);
        if (parens) {
            sb.append(')');
        }
    }

    static String callee(Ast.Call c) {
        return (c.qualifier() == null ? "" : c.qualifier().name() + ".") + c.callee().name();
    }

    static void arg(Ast.Arg a, int indent, StringBuilder sb) {
        if (a.name() != null) {
            sb.append(a.name().name()).append(" = ");
        }
        expr(a.value(), indent, sb);
    }

    static void entry(Ast.Entry en, int indent, StringBuilder sb) {
        sb.append(name(en.key())).append(": ");
        expr(en.value(), indent, sb);
    }

    /** A number as the user wrote it ({@code 1_000}, {@code 1e-3}); the value when the text is not at hand. */
    private static String number(Ast.Expr e) {
        String text = e.span().text();
        if (e instanceof Ast.IntLit i) {
            return looksNumeric(text) ? text : Long.toString(i.value());
        }
        double v = ((Ast.FloatLit) e).value();
        return looksNumeric(text) ? text : Double.toString(v);
    }

    private static boolean looksNumeric(String text) {
        return !text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')
                && text.chars().allMatch(c -> c == '-' || c == '_' || c == '.' || c == '+' || c == 'e' || c == 'E'
                        || c == ' ' || Character.isDigit(c));
    }

    /** A key or setting name: bare when it is a plain name, quoted otherwise. */
    static String name(String key) {
        return isPlainName(key) ? key : quote(key);
    }

    static boolean isPlainName(String s) {
        if (s.isEmpty() || KEYWORDS.contains(s)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    // --- types ------------------------------------------------------------------------------------

    static String type(Ast.TypeRef t) {
        if (t instanceof Ast.OptionalType o) {
            return type(o.inner()) + "?";
        }
        Ast.NamedType n = (Ast.NamedType) t;
        StringBuilder sb = new StringBuilder();
        if (n.qualifier() != null) {
            sb.append(n.qualifier().name()).append('.');
        }
        sb.append(n.name().name());
        if (!n.args().isEmpty()) {
            sb.append('[');
            for (int i = 0; i < n.args().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(type(n.args().get(i)));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    // --- strings ----------------------------------------------------------------------------------

    static void string(Ast.StringLit s, int indent, StringBuilder sb) {
        if (s.triple()) {
            sb.append(triple(s.parts().isEmpty() ? "" : ((Ast.Text) s.parts().get(0)).text(), indent));
            return;
        }
        sb.append('"');
        for (Ast.StringPart p : s.parts()) {
            if (p instanceof Ast.Text t) {
                escape(t.text(), sb);
            } else {
                sb.append("${");
                expr(((Ast.Interpolation) p).expr(), indent, sb);
                sb.append('}');
            }
        }
        sb.append('"');
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        escape(text, sb);
        return sb.append('"').toString();
    }

    private static void escape(String text, StringBuilder sb) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\0':
                    sb.append("\\0");
                    break;
                case '$':
                    sb.append(i + 1 < text.length() && text.charAt(i + 1) == '{' ? "\\$" : "$");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        sb.append(c);
                    }
            }
        }
    }

    /**
     * A {@code """} string: on one line when short and simple, otherwise the body one level deeper than
     * the line and the closing quotes at the line's indentation (the parser removes that indentation).
     */
    static String triple(String body, int indent) {
        if (body.isEmpty()) {
            return "\"\"\"\"\"\"";
        }
        if (body.indexOf('\n') < 0 && body.indexOf('"') < 0 && !body.isBlank()
                && !Character.isWhitespace(body.charAt(0))) {
            return "\"\"\"" + body + "\"\"\"";
        }
        String[] lines = body.split("\n", -1);
        boolean anyText = false;
        for (String line : lines) {
            anyText |= !line.isBlank();
        }
        // with no text line the parser removes no indentation, so none may be added
        String pad = anyText ? "  ".repeat(indent + 1) : "";
        StringBuilder sb = new StringBuilder("\"\"\"\n");
        for (String line : lines) {
            sb.append(line.isEmpty() ? "" : pad + line).append('\n');
        }
        return sb.append("  ".repeat(indent)).append("\"\"\"").toString();
    }

    /** Script text: {@code """} when it was written so, a plain string otherwise. */
    static String scriptBody(Ast.ScriptOption s, int indent) {
        if (s.bodySpan().text().startsWith("\"\"\"")) {
            return triple(s.body(), indent);
        }
        return quote(s.body());
    }
}
