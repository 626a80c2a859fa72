package dev.freestone.syntax;

import dev.freestone.diag.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic, indented S-expression dump of the AST, for golden tests and for checking that the
 * formatter leaves the tree unchanged. A node is printed on one line when it fits in 100 columns and
 * broken one child per line otherwise.
 *
 * <pre>
 * (bind best (call pick_best (arg models (member (name fit) model))))
 * </pre>
 *
 * Without spans the dump ignores positions and comments (but keeps doc comments, which belong to their
 * declarations), so two files print the same exactly when they mean the same.
 */
public final class AstPrinter {
    private static final int WIDTH = 100;

    private final boolean spans;

    private AstPrinter(boolean spans) {
        this.spans = spans;
    }

    /** The tree without positions or comments. */
    public static String print(Ast.File file) {
        return new AstPrinter(false).render(file);
    }

    /** The tree with {@code @line:col-line:col} on every node and {@code @line:col} on every name, plus comments. */
    public static String printWithSpans(Ast.File file) {
        return new AstPrinter(true).render(file);
    }

    /** Any node (an expression, a statement, ...), with or without spans. */
    public static String print(Ast.Node node, boolean withSpans) {
        AstPrinter p = new AstPrinter(withSpans);
        StringBuilder out = new StringBuilder();
        p.layout(p.node(node), 0, out);
        return out.toString();
    }

    /** Whether two files have the same tree, ignoring spans and comments. */
    public static boolean sameTree(Ast.File a, Ast.File b) {
        return print(a).equals(print(b));
    }

    private String render(Ast.File file) {
        S root = new S("file", file.span());
        for (Ast.Decl d : file.decls()) {
            root.add(node(d));
        }
        if (spans && !file.comments().isEmpty()) {
            S comments = new S("comments", null);
            for (Ast.Comment c : file.comments()) {
                comments.add(new S("comment", c.span()).add(quote(c.text())));
            }
            root.add(comments);
        }
        StringBuilder out = new StringBuilder();
        layout(root, 0, out);
        return out.append('\n').toString();
    }

    // --- the tree as S-expressions --------------------------------------------------------------------

    private S node(Ast.Node n) {
        if (n instanceof Ast.Decl d) {
            return decl(d);
        }
        if (n instanceof Ast.Stmt s) {
            return stmt(s);
        }
        if (n instanceof Ast.Expr e) {
            return expr(e);
        }
        if (n instanceof Ast.Option o) {
            return option(o);
        }
        if (n instanceof Ast.TypeRef t) {
            return new S("type", t.span()).add(type(t));
        }
        if (n instanceof Ast.Block b) {
            return block(b);
        }
        if (n instanceof Ast.Param p) {
            return param(p);
        }
        if (n instanceof Ast.Field f) {
            return field(f);
        }
        if (n instanceof Ast.Arg a) {
            return arg(a);
        }
        if (n instanceof Ast.Branch b) {
            return new S("branch", b.span()).add(expr(b.condition())).add(block(b.body()));
        }
        if (n instanceof Ast.Entry e) {
            return new S("entry", e.span()).add(quote(e.key())).add(expr(e.value()));
        }
        if (n instanceof Ast.Text t) {
            return new S("text", t.span()).add(quote(t.text()));
        }
        if (n instanceof Ast.Interpolation i) {
            return new S("interp", i.span()).add(expr(i.expr()));
        }
        if (n instanceof Ast.Ident i) {
            return new S("ident", null).add(id(i));
        }
        if (n instanceof Ast.Comment c) {
            return new S("comment", c.span()).add(quote(c.text()));
        }
        if (n instanceof Ast.File f) {
            return new S("file", f.span()).add(String.valueOf(f.decls().size()));
        }
        throw new IllegalArgumentException("unknown node " + n.getClass());
    }

    private S decl(Ast.Decl d) {
        if (d instanceof Ast.Import i) {
            S s = new S("import", i.span()).add(i.quoted() ? "quoted" : "bare").add(quote(i.path()))
                    .add(i.explicitAlias() ? "as" : "name").add(id(i.name()));
            return doc(s, i.doc());
        }
        if (d instanceof Ast.StructDecl st) {
            S s = doc(new S("struct", st.span()).add(id(st.name())), st.doc());
            st.fields().forEach(f -> s.add(field(f)));
            return s;
        }
        if (d instanceof Ast.ArtifactDecl a) {
            S s = new S("artifact", a.span()).add(id(a.name()));
            if (a.parent() != null) {
                s.add(type(a.parent()));
            }
            return doc(s, a.doc());
        }
        if (d instanceof Ast.ComponentDecl c) {
            S s = doc(new S("component", c.span()).add(id(c.name())), c.doc());
            s.add(params(c.params())).add(outputs(c.outputs()));
            S options = new S("options", null);
            c.options().forEach(o -> options.add(option(o)));
            return s.add(options);
        }
        Ast.PipelineDecl p = (Ast.PipelineDecl) d;
        S s = doc(new S("pipeline", p.span()).add(id(p.name())), p.doc());
        s.add(params(p.params())).add(outputs(p.outputs()));
        if (!p.settings().isEmpty()) {
            // only where written: the AST goldens of pipelines without settings stay as they were
            S settings = new S("settings", null);
            p.settings().forEach(o -> settings.add(option(o)));
            s.add(settings);
        }
        return s.add(block(p.body()));
    }

    private S params(List<Ast.Param> params) {
        S s = new S("params", null);
        params.forEach(p -> s.add(param(p)));
        return s;
    }

    private S outputs(List<Ast.Field> outputs) {
        S s = new S("outputs", null);
        outputs.forEach(f -> s.add(field(f)));
        return s;
    }

    private S param(Ast.Param p) {
        S s = doc(new S("param", p.span()).add(id(p.name())).add(type(p.type())), p.doc());
        if (p.defaultValue() != null) {
            s.add(new S("default", null).add(expr(p.defaultValue())));
        }
        return s;
    }

    private S field(Ast.Field f) {
        return doc(new S("field", f.span()).add(id(f.name())).add(type(f.type())), f.doc());
    }

    private S doc(S s, String doc) {
        if (!doc.isEmpty()) {
            s.add(new S("doc", null).add(quote(doc)));
        }
        return s;
    }

    /** Types read best in their written form: {@code List[Float]?}. */
    private String type(Ast.TypeRef t) {
        return typeText(t) + (spans ? at(t.span()) : "");
    }

    private static String typeText(Ast.TypeRef t) {
        if (t instanceof Ast.OptionalType o) {
            return typeText(o.inner()) + "?";
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
                sb.append(i == 0 ? "" : ", ").append(typeText(n.args().get(i)));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    private S option(Ast.Option o) {
        if (o instanceof Ast.ScriptOption sc) {
            S s = new S("script", sc.span()).add(sc.interpreter() == null ? "-" : id(sc.interpreter()));
            return s.add(quote(sc.body()) + (spans ? at(sc.bodySpan()) : ""));
        }
        if (o instanceof Ast.ValueOption v) {
            return new S("set", v.span()).add(id(v.key())).add(expr(v.value()));
        }
        Ast.BlockOption b = (Ast.BlockOption) o;
        S s = new S("block", b.span()).add(id(b.key()));
        b.options().forEach(x -> s.add(option(x)));
        return s;
    }

    private S block(Ast.Block b) {
        S s = new S("body", b.span());
        b.stmts().forEach(x -> s.add(stmt(x)));
        return s;
    }

    private S stmt(Ast.Stmt st) {
        if (st instanceof Ast.Bind b) {
            S s = b.name() == null ? new S("do", b.span()) : new S("bind", b.span()).add(id(b.name()));
            doc(s, b.doc());
            s.add(expr(b.value()));
            if (!b.after().isEmpty()) {
                S after = new S("after", null);
                b.after().forEach(a -> after.add(id(a)));
                s.add(after);
            }
            if (b.hasWith()) {
                S with = new S("with", null);
                b.with().forEach(o -> with.add(option(o)));
                s.add(with);
            }
            return s;
        }
        if (st instanceof Ast.If i) {
            S s = new S("if", i.span());
            for (Ast.Branch br : i.branches()) {
                s.add(new S("branch", br.span()).add(expr(br.condition())).add(block(br.body())));
            }
            if (i.elseBlock() != null) {
                s.add(new S("else", null).add(block(i.elseBlock())));
            }
            return s;
        }
        if (st instanceof Ast.For f) {
            S s = new S("for", f.span()).add(id(f.variable())).add(expr(f.iterable()));
            if (f.parallel() != null) {
                s.add(new S("parallel", null).add(expr(f.parallel())));
            }
            return s.add(block(f.body()));
        }
        if (st instanceof Ast.Finally f) {
            return new S("finally", f.span()).add(block(f.body()));
        }
        if (st instanceof Ast.Output o) {
            return new S("output", o.span()).add(id(o.name())).add(expr(o.value()));
        }
        Ast.StrayElse e = (Ast.StrayElse) st;
        return new S("stray-else", e.span()).add(block(e.body()));
    }

    private S arg(Ast.Arg a) {
        S s = new S("arg", a.span());
        if (a.name() != null) {
            s.add(id(a.name()));
        }
        return s.add(expr(a.value()));
    }

    private S expr(Ast.Expr e) {
        if (e instanceof Ast.Name n) {
            return new S("name", n.span()).add(n.ident().name());
        }
        if (e instanceof Ast.Member m) {
            return new S("member", m.span()).add(expr(m.target())).add(id(m.name()));
        }
        if (e instanceof Ast.Index i) {
            return new S("index", i.span()).add(expr(i.target())).add(expr(i.index()));
        }
        if (e instanceof Ast.Call c) {
            String callee = (c.qualifier() == null ? "" : c.qualifier().name() + ".") + c.callee().name();
            S s = new S("call", c.span()).add(callee + (spans ? at(c.callee().span()) : ""));
            c.args().forEach(a -> s.add(arg(a)));
            return s;
        }
        if (e instanceof Ast.Unary u) {
            return new S(u.op() == Ast.UnaryOp.NEG ? "neg" : "not", u.span()).add(expr(u.operand()));
        }
        if (e instanceof Ast.Binary b) {
            return new S(b.op().symbol, b.span()).add(expr(b.left())).add(expr(b.right()));
        }
        if (e instanceof Ast.ListLit l) {
            S s = new S("list", l.span());
            l.elements().forEach(x -> s.add(expr(x)));
            return s;
        }
        if (e instanceof Ast.MapLit m) {
            S s = new S("map", m.span());
            m.entries().forEach(x -> s.add(new S("entry", x.span()).add(quote(x.key())).add(expr(x.value()))));
            return s;
        }
        if (e instanceof Ast.StringLit str) {
            S s = new S(str.triple() ? "triple-string" : "string", str.span());
            for (Ast.StringPart p : str.parts()) {
                if (p instanceof Ast.Text t) {
                    s.add(quote(t.text()) + (spans ? at(t.span()) : ""));
                } else {
                    s.add(new S("interp", p.span()).add(expr(((Ast.Interpolation) p).expr())));
                }
            }
            return s;
        }
        if (e instanceof Ast.IntLit i) {
            return new S("int", i.span()).add(Long.toString(i.value()));
        }
        if (e instanceof Ast.FloatLit f) {
            return new S("float", f.span()).add(Double.toString(f.value()));
        }
        if (e instanceof Ast.BoolLit b) {
            return new S("bool", b.span()).add(Boolean.toString(b.value()));
        }
        if (e instanceof Ast.NullLit n) {
            return new S("null", n.span());
        }
        if (e instanceof Ast.DurationLit d) {
            return new S("duration", d.span()).add(d.text()).add(d.millis() + "ms");
        }
        if (e instanceof Ast.QuantityLit q) {
            return new S("quantity", q.span()).add(q.text());
        }
        Ast.BadUnitLit b = (Ast.BadUnitLit) e;
        return new S("bad-unit", b.span()).add(b.text());
    }

    private String id(Ast.Ident i) {
        return spans ? i.name() + "@" + i.span().line() + ":" + i.span().column() : i.name();
    }

    private static String at(Span s) {
        return "@" + s.line() + ":" + s.column() + "-" + s.endLine() + ":" + s.endColumn();
    }

    /** A Java-style quoted string: no line breaks, no control characters. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
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
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    // --- layout ---------------------------------------------------------------------------------------

    /** One S-expression: a head, then atoms and children in order. */
    private final class S {
        final String head;
        final List<Object> items = new ArrayList<>();

        S(String head, Span span) {
            this.head = spans && span != null ? head + at(span) : head;
        }

        S add(Object item) {
            items.add(item);
            return this;
        }
    }

    private static String flat(S s) {
        StringBuilder sb = new StringBuilder("(").append(s.head);
        for (Object o : s.items) {
            sb.append(' ').append(o instanceof S child ? flat(child) : o);
        }
        return sb.append(')').toString();
    }

    private static void layout(S s, int indent, StringBuilder out) {
        String flat = flat(s);
        if (indent + flat.length() <= WIDTH) {
            out.append(flat);
            return;
        }
        out.append('(').append(s.head);
        boolean broken = false;
        for (Object o : s.items) {
            if (o instanceof S child) {
                broken = true;
                out.append('\n').append(" ".repeat(indent + 2));
                layout(child, indent + 2, out);
            } else if (broken) {
                out.append('\n').append(" ".repeat(indent + 2)).append(o);
            } else {
                out.append(' ').append(o);
            }
        }
        out.append(')');
    }
}
