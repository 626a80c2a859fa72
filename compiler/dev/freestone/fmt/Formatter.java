package dev.freestone.fmt;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.AstPrinter;
import dev.freestone.syntax.Parser;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code freestone fmt}: one canonical layout for a {@code .pipe} file. Two-space indentation, one
 * setting or statement per line, spaces around {@code =} and binary operators, the fewest parentheses
 * that keep the meaning, lists and calls broken one element per line (with a trailing comma) only
 * when they do not fit in 100 columns or hold comments, blank lines between declarations and
 * statements kept (several collapsed to one), and every comment put back where it was relative to
 * the code. Lines end with {@code \n}, or {@code \r\n} throughout when the file's first line does.
 *
 * <p>Formatting is idempotent and never changes the tree: {@link #formatSource} checks the second
 * property on every call.
 */
public final class Formatter {
    private final Ast.File file;
    private final LineWriter w;

    private Formatter(Ast.File file) {
        this.file = file;
        this.w = new LineWriter(file);
    }

    /** The canonical text of a file that parsed without errors (comments from {@code file.comments()}). */
    public static String format(Ast.File file) {
        return new Formatter(file).run();
    }

    /** What {@code fmt} needs for one file: the formatted text, or the syntax errors that prevent it. */
    public record Result(Source source, String formatted, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        /** False when the file has syntax errors; {@code formatted} is then null. */
        public boolean ok() {
            return formatted != null;
        }

        /** Whether formatting changes the file ({@code fmt --check} lists these). */
        public boolean changed() {
            return ok() && !formatted.equals(source.text());
        }
    }

    /**
     * Parses and formats; a file with syntax errors is left alone and its diagnostics returned.
     *
     * @throws IllegalStateException if the formatted text would mean something else (a formatter bug;
     *     the file must then be left untouched)
     */
    public static Result formatSource(Source source) {
        Parser.ParseResult parsed = Parser.parse(source);
        if (parsed.hasErrors()) {
            return new Result(source, null, parsed.diagnostics());
        }
        String formatted = format(parsed.file());
        if (usesCrlf(source.text())) {
            // keep a Windows checkout's line endings, or every line would "change"
            formatted = formatted.replace("\n", "\r\n");
        }
        Parser.ParseResult again = Parser.parse(new Source(source.path(), formatted));
        if (again.hasErrors() || !AstPrinter.sameTree(parsed.file(), again.file())) {
            throw new IllegalStateException("formatting " + source.path()
                    + " would change its meaning; the file was left as it is (please report this Freestone bug)");
        }
        return new Result(source, formatted, parsed.diagnostics());
    }

    /** Whether the text's first line ends with CRLF: the line ending the formatted text then uses throughout. */
    static boolean usesCrlf(String text) {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r';
    }

    private String run() {
        for (Ast.Decl d : file.decls()) {
            w.beginItem(d.span().start());
            decl(d);
            w.mark(d.span().end());
            w.newline();
        }
        return w.finish();
    }

    // --- declarations -------------------------------------------------------------------------------

    private void decl(Ast.Decl d) {
        if (d instanceof Ast.Import i) {
            w.write("import " + (i.quoted() ? ExprText.quote(i.path()) : i.path()));
            if (i.explicitAlias()) {
                w.write(" as " + i.name().name());
            }
        } else if (d instanceof Ast.StructDecl s) {
            struct(s);
        } else if (d instanceof Ast.ArtifactDecl a) {
            w.write("artifact " + a.name().name() + (a.parent() == null ? "" : " : " + ExprText.type(a.parent())));
        } else if (d instanceof Ast.ComponentDecl c) {
            int signatureEnd = signature("component", c.name(), c.params(), c.outputs());
            int open = w.find('{', signatureEnd);
            int close = c.span().end() - 1;
            sequence(open, close, c.options(), this::option);
        } else if (d instanceof Ast.PipelineDecl p) {
            int signatureEnd = signature("pipeline", p.name(), p.params(), p.outputs());
            if (!p.settings().isEmpty()) {
                // `with { ... }` between the signature and the body; an empty one says nothing and goes
                int open = w.find('{', signatureEnd);
                w.write("with ");
                sequence(open, w.find('}', p.settings().get(p.settings().size() - 1).span().end()), p.settings(),
                        this::option);
                w.write(" ");
            }
            block(p.body());
        }
    }

    private void struct(Ast.StructDecl s) {
        w.write("struct " + s.name().name() + " ");
        int open = w.find('{', s.name().span().end());
        int close = s.span().end() - 1;
        StringBuilder inline = new StringBuilder();
        boolean docs = false;
        for (Ast.Field f : s.fields()) {
            inline.append(inline.length() == 0 ? "" : ", ").append(field(f));
            docs |= !f.doc().isEmpty();
        }
        if (!docs && !w.commentsWithin(open, close)
                && w.column() + inline.length() + 4 <= LineWriter.WIDTH) {
            w.write(s.fields().isEmpty() ? "{}" : "{ " + inline + " }");
            w.mark(close + 1);
            return;
        }
        w.openBlock(open);
        for (Ast.Field f : s.fields()) {
            w.leading(f.span().start(), false);
            w.write(field(f) + ",");
            w.mark(w.afterComma(f.span().end()));
            w.newline();
        }
        w.closeBlock(close);
    }

    /** {@code component name(params) -> (outputs) }; returns where the signature ends in the source. */
    private int signature(String keyword, Ast.Ident name, List<Ast.Param> params, List<Ast.Field> outputs) {
        w.write(keyword + " " + name.name());
        w.mark(name.span().end());
        int open = w.find('(', name.span().end());
        int from = params.isEmpty() ? open + 1 : params.get(params.size() - 1).span().end();
        int close = w.find(')', from);
        boolean docs = params.stream().anyMatch(p -> !p.doc().isEmpty());
        String outputsText = outputs.isEmpty() ? "" : " -> (" + join(outputs.stream().map(this::field).toList()) + ")";
        String inline = "(" + join(params.stream().map(this::param).toList()) + ")";
        // the parameters break first: a header that does not fit puts one parameter per line
        boolean fits = w.column() + inline.length() + outputsText.length() + 2 <= LineWriter.WIDTH;
        if (!docs && fits && !inline.contains("\n") && !w.commentsWithin(open, close)) {
            w.write(inline);
            w.mark(close + 1);
        } else {
            // one parameter per line; a default that does not fit breaks like any list or call
            commaList("(", ")", open, close, params, p -> {
                w.write(p.name().name() + ": " + ExprText.type(p.type()));
                if (p.defaultValue() != null) {
                    w.write(" = ");
                    expr(p.defaultValue());
                }
            });
        }
        int end = close + 1;
        if (!outputs.isEmpty()) {
            int oOpen = w.find('(', close + 1);
            int oClose = w.find(')', outputs.get(outputs.size() - 1).span().end());
            boolean oDocs = outputs.stream().anyMatch(f -> !f.doc().isEmpty());
            if (!oDocs && w.column() + outputsText.length() + 2 <= LineWriter.WIDTH
                    && !w.commentsWithin(oOpen, oClose)) {
                w.write(outputsText);
                w.mark(oClose + 1);
            } else {
                w.write(" -> ");
                commaList("(", ")", oOpen, oClose, outputs, f -> w.write(field(f)));
            }
            end = oClose + 1;
        }
        w.write(" ");
        return end;
    }

    private String param(Ast.Param p) {
        String s = p.name().name() + ": " + ExprText.type(p.type());
        return p.defaultValue() == null ? s : s + " = " + ExprText.expr(p.defaultValue(), w.indentLevel());
    }

    private String field(Ast.Field f) {
        return f.name().name() + ": " + ExprText.type(f.type());
    }

    // --- settings --------------------------------------------------------------------------------------

    private void option(Ast.Option o) {
        if (o instanceof Ast.ScriptOption s) {
            w.write("script = " + (s.interpreter() == null ? "" : s.interpreter().name() + " ")
                    + ExprText.scriptBody(s, w.indentLevel()));
        } else if (o instanceof Ast.ValueOption v) {
            w.write(ExprText.name(v.key().name()) + " = ");
            expr(v.value());
        } else {
            Ast.BlockOption b = (Ast.BlockOption) o;
            w.write(ExprText.name(b.key().name()) + " ");
            int open = w.find('{', b.key().span().end());
            sequence(open, b.span().end() - 1, b.options(), this::option);
        }
    }

    /** {@code { item; item }} one item per line, or {@code {}} when empty. */
    private <T extends Ast.Node> void sequence(int open, int close, List<T> items, Consumer<T> each) {
        if (items.isEmpty() && !w.commentsWithin(open, close)) {
            w.write("{}");
            w.mark(close + 1);
            return;
        }
        w.openBlock(open);
        for (T item : items) {
            w.beginItem(item.span().start());
            each.accept(item);
            w.mark(item.span().end());
            w.newline();
        }
        w.closeBlock(close);
    }

    // --- statements --------------------------------------------------------------------------------------

    private void block(Ast.Block b) {
        sequence(b.span().start(), b.span().end() - 1, b.stmts(), this::stmt);
    }

    private void stmt(Ast.Stmt s) {
        if (s instanceof Ast.Bind b) {
            if (b.name() != null) {
                w.write(b.name().name() + " = ");
            }
            expr(b.value());
            int end = b.value().span().end();
            if (!b.after().isEmpty()) {
                w.write(" after " + join(b.after().stream().map(Ast.Ident::name).toList()));
                end = b.after().get(b.after().size() - 1).span().end();
                w.mark(end);
            }
            if (b.hasWith()) {
                w.write(" with ");
                sequence(w.find('{', end), b.span().end() - 1, b.with(), this::option);
            }
        } else if (s instanceof Ast.If i) {
            for (int k = 0; k < i.branches().size(); k++) {
                Ast.Branch br = i.branches().get(k);
                w.write(k == 0 ? "if " : " else if ");
                expr(br.condition());
                w.write(" ");
                block(br.body());
            }
            if (i.elseBlock() != null) {
                w.write(" else ");
                block(i.elseBlock());
            }
        } else if (s instanceof Ast.For f) {
            w.write("for " + f.variable().name() + " in ");
            expr(f.iterable());
            if (f.parallel() != null) {
                w.write(" parallel ");
                expr(f.parallel());
            }
            w.write(" ");
            block(f.body());
        } else if (s instanceof Ast.Finally f) {
            w.write("finally ");
            block(f.body());
        } else if (s instanceof Ast.Output o) {
            w.write("output " + o.name().name() + " = ");
            expr(o.value());
        } else if (s instanceof Ast.StrayElse e) {
            w.write("else ");
            block(e.body());
        }
    }

    // --- expressions --------------------------------------------------------------------------------------

    /** An expression at the current place: on one line, or a call, list or map broken one element per line. */
    private void expr(Ast.Expr e) {
        String inline = ExprText.expr(e, w.indentLevel());
        boolean breakable = (e instanceof Ast.Call c && !c.args().isEmpty())
                || (e instanceof Ast.ListLit l && !l.elements().isEmpty())
                || (e instanceof Ast.MapLit m && !m.entries().isEmpty());
        int start = e.span().start();
        int end = e.span().end();
        if (!breakable || (!inline.contains("\n") && w.column() + inline.length() <= LineWriter.WIDTH
                && !w.commentsWithin(start, end - 1))) {
            w.write(inline);
            w.mark(end);
            return;
        }
        if (e instanceof Ast.Call c) {
            int open = w.find('(', c.callee().span().end());
            commaList(ExprText.callee(c) + "(", ")", open, end - 1, c.args(), a -> {
                if (a.name() != null) {
                    w.write(a.name().name() + " = ");
                }
                expr(a.value());
            });
        } else if (e instanceof Ast.ListLit l) {
            commaList("[", "]", start, end - 1, l.elements(), this::expr);
        } else {
            Ast.MapLit m = (Ast.MapLit) e;
            commaList("{", "}", start, end - 1, m.entries(), en -> {
                w.write(ExprText.name(en.key()) + ": ");
                expr(en.value());
            });
        }
    }

    /** {@code open} newline, each item on its own line with a trailing comma, {@code close}. */
    private <T extends Ast.Node> void commaList(String openText, String closeText, int open, int close, List<T> items,
                                                Consumer<T> each) {
        w.write(openText);
        w.mark(open + 1);
        w.indent();
        w.newline();
        for (T item : items) {
            w.leading(item.span().start(), false);
            each.accept(item);
            w.write(",");
            w.mark(Math.max(item.span().end(), w.afterComma(item.span().end())));
            w.newline();
        }
        w.leading(close, false);
        w.dedent();
        w.write(closeText);
        w.mark(close + 1);
    }

    private static String join(List<String> parts) {
        return String.join(", ", parts);
    }
}
