package dev.freestone.syntax;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.antlr.PipeLexer;
import dev.freestone.syntax.antlr.PipeParser;
import dev.freestone.syntax.antlr.PipeParserBaseVisitor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns the parse tree into the immutable {@link Ast}: one {@code visitX} per labelled alternative of
 * {@code PipeParser.g4}. The tree may be partial after syntax errors; a construct whose required part
 * is missing is left out (the syntax diagnostics say why), so the AST only holds what was written.
 * Literal problems found here (out-of-range numbers, unknown units, stray {@code else}) become
 * diagnostics too.
 */
final class AstBuilder extends PipeParserBaseVisitor<Object> {
    private static final String HELP_UNITS = "durations: 250ms 30s 5m 2h 1d; quantities: 512Mi 2Gi 1.5G 500k";
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    private final TokenSpans spans;
    private final Source source;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    AstBuilder(TokenSpans spans) {
        this.spans = spans;
        this.source = spans.source();
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    Ast.File build(PipeParser.FileContext ctx) {
        List<Ast.Decl> decls = new ArrayList<>();
        if (ctx != null) {
            for (PipeParser.DeclContext d : ctx.decl()) {
                add(decls, as(Ast.Decl.class, d));
            }
        }
        return new Ast.File(source, List.copyOf(decls), comments(), Span.of(source, 0, source.text().length()));
    }

    // Nothing is built implicitly: an unlabelled (failed) alternative yields no node.
    @Override
    protected Object defaultResult() {
        return null;
    }

    @Override
    protected Object aggregateResult(Object aggregate, Object nextResult) {
        return null;
    }

    // --- declarations -------------------------------------------------------------------------------

    @Override
    public Object visitImportDecl(PipeParser.ImportDeclContext ctx) {
        Ast.Ident alias = ident(tok(ctx, PipeLexer.IDENT, 0));
        String path;
        boolean quoted;
        Span pathSpan;
        if (ctx.importPath() instanceof PipeParser.BareImportContext bare) {
            List<TerminalNode> parts = toks(bare, PipeLexer.IDENT);
            if (parts.isEmpty()) {
                return null;
            }
            path = String.join("/", parts.stream().map(ParseTree::getText).toList());
            quoted = false;
            pathSpan = spans.span(bare);
        } else if (ctx.importPath() instanceof PipeParser.StringImportContext str && str.string() != null) {
            path = constant(str.string(), "an import path");
            if (path == null) {
                return null;
            }
            quoted = true;
            pathSpan = stringSpan(str.string());
        } else {
            return null;
        }
        boolean explicitAlias = alias != null;
        Ast.Ident name = alias;
        if (name == null) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.endsWith(".pipe")) {
                last = last.substring(0, last.length() - ".pipe".length());
            }
            name = new Ast.Ident(last, pathSpan);
        }
        return new Ast.Import(path, quoted, pathSpan, name, explicitAlias, doc(ctx.getStart()), spans.span(ctx));
    }

    @Override
    public Object visitStructDecl(PipeParser.StructDeclContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        if (name == null) {
            return null;
        }
        return new Ast.StructDecl(name, fields(ctx.field()), doc(ctx.getStart()), spans.span(ctx));
    }

    @Override
    public Object visitArtifactDecl(PipeParser.ArtifactDeclContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        if (name == null) {
            return null;
        }
        Ast.TypeRef parent = type(ctx.typeRef());
        if (tok(ctx, PipeLexer.COLON, 0) != null && parent == null) {
            return null;
        }
        return new Ast.ArtifactDecl(name, parent, doc(ctx.getStart()), spans.span(ctx));
    }

    @Override
    public Object visitComponentDecl(PipeParser.ComponentDeclContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        if (name == null) {
            return null;
        }
        return new Ast.ComponentDecl(name, params(ctx.paramList()), outputs(ctx.outputList()), options(ctx.option()),
                doc(ctx.getStart()), spans.span(ctx));
    }

    @Override
    public Object visitPipelineDecl(PipeParser.PipelineDeclContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        Ast.Block body = block(ctx.block());
        if (name == null || body == null) {
            return null;
        }
        List<Ast.Option> settings = ctx.withClause() == null ? List.of() : options(ctx.withClause().option());
        return new Ast.PipelineDecl(name, params(ctx.paramList()), outputs(ctx.outputList()), settings, body,
                doc(ctx.getStart()), spans.span(ctx));
    }

    private List<Ast.Param> params(PipeParser.ParamListContext ctx) {
        List<Ast.Param> out = new ArrayList<>();
        if (ctx != null) {
            for (PipeParser.ParamContext p : ctx.param()) {
                Ast.Ident name = ident(tok(p, PipeLexer.IDENT, 0));
                Ast.TypeRef type = type(p.typeRef());
                Ast.Expr dflt = expr(p.expr());
                if (name == null || type == null || (tok(p, PipeLexer.ASSIGN, 0) != null && dflt == null)) {
                    continue;
                }
                out.add(new Ast.Param(name, type, dflt, doc(p.getStart()), spans.span(p)));
            }
        }
        return List.copyOf(out);
    }

    private List<Ast.Field> outputs(PipeParser.OutputListContext ctx) {
        return ctx == null ? List.of() : fields(ctx.field());
    }

    private List<Ast.Field> fields(List<PipeParser.FieldContext> ctxs) {
        List<Ast.Field> out = new ArrayList<>();
        for (PipeParser.FieldContext f : ctxs) {
            Ast.Ident name = ident(tok(f, PipeLexer.IDENT, 0));
            Ast.TypeRef type = type(f.typeRef());
            if (name != null && type != null) {
                out.add(new Ast.Field(name, type, doc(f.getStart()), spans.span(f)));
            }
        }
        return List.copyOf(out);
    }

    // --- types ----------------------------------------------------------------------------------------

    @Override
    public Object visitOptionalType(PipeParser.OptionalTypeContext ctx) {
        Ast.TypeRef inner = type(ctx.typeRef());
        return inner == null ? null : new Ast.OptionalType(inner, spans.span(ctx));
    }

    @Override
    public Object visitNamedType(PipeParser.NamedTypeContext ctx) {
        List<TerminalNode> names = toks(ctx, PipeLexer.IDENT);
        if (names.isEmpty()) {
            return null;
        }
        Ast.Ident qualifier = names.size() > 1 ? ident(names.get(0)) : null;
        Ast.Ident name = ident(names.get(names.size() - 1));
        List<Ast.TypeRef> args = new ArrayList<>();
        for (PipeParser.TypeRefContext a : ctx.typeRef()) {
            add(args, type(a));
        }
        return new Ast.NamedType(qualifier, name, List.copyOf(args), spans.span(ctx));
    }

    // --- settings ---------------------------------------------------------------------------------------

    private List<Ast.Option> options(List<PipeParser.OptionContext> ctxs) {
        List<Ast.Option> out = new ArrayList<>();
        for (PipeParser.OptionContext o : ctxs) {
            add(out, as(Ast.Option.class, o));
        }
        return List.copyOf(out);
    }

    @Override
    public Object visitScriptOption(PipeParser.ScriptOptionContext ctx) {
        Ast.Ident interpreter = ident(tok(ctx, PipeLexer.IDENT, 0));
        TerminalNode triple = tok(ctx, PipeLexer.TRIPLE_STRING, 0);
        if (triple != null) {
            Token t = triple.getSymbol();
            return new Ast.ScriptOption(interpreter, tripleBody(t), spans.span(t), spans.span(ctx));
        }
        if (ctx.string() != null) {
            String body = constant(ctx.string(), "a script");
            return body == null ? null
                    : new Ast.ScriptOption(interpreter, body, stringSpan(ctx.string()), spans.span(ctx));
        }
        return null;
    }

    @Override
    public Object visitValueOption(PipeParser.ValueOptionContext ctx) {
        Ast.Ident key = optionKey(ctx.optionKey());
        Ast.Expr value = expr(ctx.expr());
        return key == null || value == null ? null : new Ast.ValueOption(key, value, spans.span(ctx));
    }

    @Override
    public Object visitBlockOption(PipeParser.BlockOptionContext ctx) {
        Ast.Ident key = optionKey(ctx.optionKey());
        return key == null ? null : new Ast.BlockOption(key, options(ctx.option()), spans.span(ctx));
    }

    /** {@code image}, {@code output} or {@code "kubernetes.io/arch"}: a key written as a string is its value. */
    private Ast.Ident optionKey(PipeParser.OptionKeyContext ctx) {
        if (ctx == null) {
            return null;
        }
        if (ctx.string() != null) {
            String key = constant(ctx.string(), "a setting name");
            return key == null ? null : new Ast.Ident(key, stringSpan(ctx.string()));
        }
        TerminalNode t = tok(ctx, PipeLexer.IDENT, 0);
        return ident(t != null ? t : tok(ctx, PipeLexer.OUTPUT, 0));
    }

    // --- statements ---------------------------------------------------------------------------------------

    private Ast.Block block(PipeParser.BlockContext ctx) {
        if (ctx == null || tok(ctx, PipeLexer.LBRACE, 0) == null) {
            return null;
        }
        List<Ast.Stmt> stmts = new ArrayList<>();
        int skipLine = -1;
        for (PipeParser.StmtContext s : ctx.stmt()) {
            if (s.getStart().getLine() == skipLine) {
                continue; // what follows Argo's key on its line is its value: `withItems ["a", "b"]`
            }
            PipeParser.NameExprContext argo = s instanceof PipeParser.BindStmtContext b && b.IDENT() == null
                    ? argoKey(b.expr()) : null;
            if (argo != null && !colonAfter(argo)) {
                diagnostics.add(Diagnostic.of(Code.E0001, spans.span(argo), "unexpected `" + argo.getText() + "`")
                        .withHelp(dev.freestone.diag.ArgoWords.help(argo.getText()).orElseThrow()));
                skipLine = s.getStop().getLine();
                continue;
            }
            add(stmts, as(Ast.Stmt.class, s));
        }
        return new Ast.Block(List.copyOf(stmts), spans.span(ctx));
    }

    /**
     * The key of an Argo DAG task written as a statement of its own, {@code s = say(...) withItems ["a", "b"]} or on the
     * next line (`withItems` a name, or indexed, `withParam[...]`): the construct that does it here is the help. Null for
     * anything else.
     */
    /** Whether a {@code :} follows {@code key} (`withItems: [...]`), which the parser reports with the same help. */
    private boolean colonAfter(PipeParser.NameExprContext key) {
        List<Token> tokens = spans.tokens();
        for (int i = key.getStop().getTokenIndex() + 1; i < tokens.size(); i++) {
            if (tokens.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
                return tokens.get(i).getType() == PipeLexer.COLON;
            }
        }
        return false;
    }

    private static PipeParser.NameExprContext argoKey(PipeParser.ExprContext e) {
        PipeParser.ExprContext base = e instanceof PipeParser.IndexExprContext i ? i.expr(0) : e;
        return base instanceof PipeParser.NameExprContext n && dev.freestone.diag.ArgoWords.help(n.getText()).isPresent()
                ? n : null;
    }

    @Override
    public Object visitBindStmt(PipeParser.BindStmtContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        Ast.Expr value = expr(ctx.expr());
        if (value == null) {
            return null;
        }
        List<Ast.Ident> after = new ArrayList<>();
        if (ctx.afterClause() != null) {
            for (TerminalNode t : toks(ctx.afterClause(), PipeLexer.IDENT)) {
                add(after, ident(t));
            }
        }
        PipeParser.WithClauseContext with = ctx.withClause();
        List<Ast.Option> options = with == null ? List.of() : options(with.option());
        return new Ast.Bind(name, value, List.copyOf(after), options, with != null, doc(ctx.getStart()),
                spans.span(ctx));
    }

    @Override
    public Object visitIfStmt(PipeParser.IfStmtContext ctx) {
        List<PipeParser.ExprContext> conditions = ctx.expr();
        List<PipeParser.BlockContext> blocks = ctx.block();
        List<TerminalNode> ifs = toks(ctx, PipeLexer.IF);
        List<Ast.Branch> branches = new ArrayList<>();
        int n = Math.min(conditions.size(), blocks.size());
        for (int i = 0; i < n; i++) {
            Ast.Expr condition = expr(conditions.get(i));
            Ast.Block body = block(blocks.get(i));
            if (condition == null || body == null) {
                continue;
            }
            Token start = i < ifs.size() ? ifs.get(i).getSymbol() : conditions.get(i).getStart();
            branches.add(new Ast.Branch(condition, body, spans.span(start, blocks.get(i).getStop())));
        }
        if (branches.isEmpty()) {
            return null;
        }
        Ast.Block elseBlock = blocks.size() > conditions.size() ? block(blocks.get(blocks.size() - 1)) : null;
        return new Ast.If(List.copyOf(branches), elseBlock, spans.span(ctx));
    }

    @Override
    public Object visitForStmt(PipeParser.ForStmtContext ctx) {
        Ast.Ident variable = ident(tok(ctx, PipeLexer.IDENT, 0));
        List<PipeParser.ExprContext> exprs = ctx.expr();
        Ast.Expr iterable = exprs.isEmpty() ? null : expr(exprs.get(0));
        boolean hasParallel = tok(ctx, PipeLexer.PARALLEL, 0) != null;
        Ast.Expr parallel = hasParallel && exprs.size() > 1 ? expr(exprs.get(1)) : null;
        Ast.Block body = block(ctx.block());
        if (variable == null || iterable == null || body == null || (hasParallel && parallel == null)) {
            return null;
        }
        return new Ast.For(variable, iterable, parallel, body, spans.span(ctx));
    }

    @Override
    public Object visitFinallyStmt(PipeParser.FinallyStmtContext ctx) {
        Ast.Block body = block(ctx.block());
        return body == null ? null : new Ast.Finally(body, spans.span(ctx));
    }

    @Override
    public Object visitOutputStmt(PipeParser.OutputStmtContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        Ast.Expr value = expr(ctx.expr());
        return name == null || value == null ? null : new Ast.Output(name, value, spans.span(ctx));
    }

    @Override
    public Object visitStrayElseStmt(PipeParser.StrayElseStmtContext ctx) {
        TerminalNode elseToken = tok(ctx, PipeLexer.ELSE, 0);
        if (elseToken != null) {
            diagnostics.add(Diagnostic.of(Code.E0005, spans.span(elseToken.getSymbol())));
        }
        Ast.Block body = block(ctx.block());
        return body == null ? null : new Ast.StrayElse(body, spans.span(ctx));
    }

    // --- expressions ------------------------------------------------------------------------------------------

    @Override
    public Object visitMemberExpr(PipeParser.MemberExprContext ctx) {
        Ast.Expr target = expr(ctx.expr());
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        return target == null || name == null ? null : new Ast.Member(target, name, spans.span(ctx));
    }

    @Override
    public Object visitIndexExpr(PipeParser.IndexExprContext ctx) {
        List<PipeParser.ExprContext> exprs = ctx.expr();
        if (exprs.size() < 2) {
            return null;
        }
        Ast.Expr target = expr(exprs.get(0));
        Ast.Expr index = expr(exprs.get(1));
        return target == null || index == null ? null : new Ast.Index(target, index, spans.span(ctx));
    }

    @Override
    public Object visitCallExpr(PipeParser.CallExprContext ctx) {
        List<TerminalNode> names = toks(ctx, PipeLexer.IDENT);
        if (names.isEmpty()) {
            return null;
        }
        Ast.Ident qualifier = names.size() > 1 ? ident(names.get(0)) : null;
        Ast.Ident callee = ident(names.get(names.size() - 1));
        List<Ast.Arg> args = new ArrayList<>();
        for (PipeParser.ArgContext a : ctx.arg()) {
            add(args, as(Ast.Arg.class, a));
        }
        return new Ast.Call(qualifier, callee, List.copyOf(args), spans.span(ctx));
    }

    @Override
    public Object visitNamedArg(PipeParser.NamedArgContext ctx) {
        Ast.Ident name = ident(tok(ctx, PipeLexer.IDENT, 0));
        Ast.Expr value = expr(ctx.expr());
        return name == null || value == null ? null : new Ast.Arg(name, value, spans.span(ctx));
    }

    @Override
    public Object visitPositionalArg(PipeParser.PositionalArgContext ctx) {
        Ast.Expr value = expr(ctx.expr());
        return value == null ? null : new Ast.Arg(null, value, spans.span(ctx));
    }

    @Override
    public Object visitUnaryExpr(PipeParser.UnaryExprContext ctx) {
        if (ctx.op == null) {
            return null;
        }
        Ast.UnaryOp op = ctx.op.getType() == PipeLexer.MINUS ? Ast.UnaryOp.NEG : Ast.UnaryOp.NOT;
        // -9223372036854775808 is the one Int whose magnitude alone is out of range.
        if (op == Ast.UnaryOp.NEG && ctx.expr() instanceof PipeParser.LiteralExprContext lit
                && lit.literal() instanceof PipeParser.IntLitContext intLit
                && digits(intLit.getText()).equals(LONG_MIN_MAGNITUDE)) {
            return new Ast.IntLit(Long.MIN_VALUE, spans.span(ctx));
        }
        Ast.Expr operand = expr(ctx.expr());
        return operand == null ? null : new Ast.Unary(op, operand, spans.span(ctx));
    }

    @Override
    public Object visitBinaryExpr(PipeParser.BinaryExprContext ctx) {
        List<PipeParser.ExprContext> exprs = ctx.expr();
        if (exprs.size() < 2 || ctx.op == null) {
            return null;
        }
        Ast.Expr left = expr(exprs.get(0));
        Ast.Expr right = expr(exprs.get(1));
        Ast.BinaryOp op = binaryOp(ctx.op.getType());
        return left == null || right == null || op == null ? null : new Ast.Binary(op, left, right, spans.span(ctx));
    }

    private static Ast.BinaryOp binaryOp(int type) {
        switch (type) {
            case PipeLexer.STAR:
                return Ast.BinaryOp.MUL;
            case PipeLexer.SLASH:
                return Ast.BinaryOp.DIV;
            case PipeLexer.PERCENT:
                return Ast.BinaryOp.MOD;
            case PipeLexer.PLUS:
                return Ast.BinaryOp.ADD;
            case PipeLexer.MINUS:
                return Ast.BinaryOp.SUB;
            case PipeLexer.LT:
                return Ast.BinaryOp.LT;
            case PipeLexer.LE:
                return Ast.BinaryOp.LE;
            case PipeLexer.GT:
                return Ast.BinaryOp.GT;
            case PipeLexer.GE:
                return Ast.BinaryOp.GE;
            case PipeLexer.EQEQ:
                return Ast.BinaryOp.EQ;
            case PipeLexer.NEQ:
                return Ast.BinaryOp.NE;
            case PipeLexer.AND:
            case PipeLexer.ANDAND:
                return Ast.BinaryOp.AND;
            case PipeLexer.OR:
            case PipeLexer.OROR:
                return Ast.BinaryOp.OR;
            default:
                return null;
        }
    }

    @Override
    public Object visitParenExpr(PipeParser.ParenExprContext ctx) {
        return expr(ctx.expr());
    }

    @Override
    public Object visitListExpr(PipeParser.ListExprContext ctx) {
        List<Ast.Expr> elements = new ArrayList<>();
        for (PipeParser.ExprContext e : ctx.expr()) {
            add(elements, expr(e));
        }
        return new Ast.ListLit(List.copyOf(elements), spans.span(ctx));
    }

    @Override
    public Object visitMapExpr(PipeParser.MapExprContext ctx) {
        List<Ast.Entry> entries = new ArrayList<>();
        for (PipeParser.EntryContext e : ctx.entry()) {
            String key;
            Span keySpan;
            if (e.string() != null) {
                key = constant(e.string(), "a map key");
                keySpan = stringSpan(e.string());
            } else {
                TerminalNode t = tok(e, PipeLexer.IDENT, 0);
                Ast.Ident id = ident(t);
                key = id == null ? null : id.name();
                keySpan = id == null ? null : id.span();
            }
            Ast.Expr value = expr(e.expr());
            if (key != null && value != null) {
                entries.add(new Ast.Entry(key, keySpan, value, spans.span(e)));
            }
        }
        return new Ast.MapLit(List.copyOf(entries), spans.span(ctx));
    }

    @Override
    public Object visitLiteralExpr(PipeParser.LiteralExprContext ctx) {
        return ctx.literal() == null ? null : visit(ctx.literal());
    }

    @Override
    public Object visitNameExpr(PipeParser.NameExprContext ctx) {
        Ast.Ident id = ident(tok(ctx, PipeLexer.IDENT, 0));
        return id == null ? null : new Ast.Name(id, id.span());
    }

    // --- literals ------------------------------------------------------------------------------------------------

    @Override
    public Object visitIntLit(PipeParser.IntLitContext ctx) {
        Span span = spans.span(ctx);
        BigInteger value = digits(ctx.getText());
        if (value.bitLength() > 63) {
            diagnostics.add(Diagnostic.of(Code.E0506, span, ctx.getText()));
            return new Ast.IntLit(0, span);
        }
        return new Ast.IntLit(value.longValue(), span);
    }

    @Override
    public Object visitFloatLit(PipeParser.FloatLitContext ctx) {
        Span span = spans.span(ctx);
        double value = Double.parseDouble(ctx.getText().replace("_", ""));
        if (Double.isInfinite(value)) {
            diagnostics.add(Diagnostic.of(Code.E0501, span, "number", ctx.getText(), "it does not fit in a 64-bit Float"));
        }
        return new Ast.FloatLit(value, span);
    }

    @Override
    public Object visitDurationLit(PipeParser.DurationLitContext ctx) {
        String text = ctx.getText();
        Span span = spans.span(ctx);
        String digits;
        long unit;
        if (text.endsWith("ms")) {
            digits = text.substring(0, text.length() - 2);
            unit = 1;
        } else {
            digits = text.substring(0, text.length() - 1);
            switch (text.charAt(text.length() - 1)) {
                case 's':
                    unit = 1_000L;
                    break;
                case 'm':
                    unit = 60_000L;
                    break;
                case 'h':
                    unit = 3_600_000L;
                    break;
                default:
                    unit = 86_400_000L;
                    break;
            }
        }
        BigInteger millis = digits(digits).multiply(BigInteger.valueOf(unit));
        if (millis.bitLength() > 63) {
            diagnostics.add(Diagnostic.of(Code.E0501, span, "duration", text, "the longest duration is about 292 million years"));
            return new Ast.DurationLit(text, 0, span);
        }
        return new Ast.DurationLit(text, millis.longValue(), span);
    }

    @Override
    public Object visitQuantityLit(PipeParser.QuantityLitContext ctx) {
        return new Ast.QuantityLit(ctx.getText(), spans.span(ctx));
    }

    @Override
    public Object visitBadUnitLit(PipeParser.BadUnitLitContext ctx) {
        Span span = spans.span(ctx);
        diagnostics.add(Diagnostic.of(Code.E0501, span, "duration or quantity", ctx.getText(), HELP_UNITS));
        return new Ast.BadUnitLit(ctx.getText(), span);
    }

    @Override
    public Object visitTrueLit(PipeParser.TrueLitContext ctx) {
        return new Ast.BoolLit(true, spans.span(ctx));
    }

    @Override
    public Object visitFalseLit(PipeParser.FalseLitContext ctx) {
        return new Ast.BoolLit(false, spans.span(ctx));
    }

    @Override
    public Object visitNullLit(PipeParser.NullLitContext ctx) {
        return new Ast.NullLit(spans.span(ctx));
    }

    @Override
    public Object visitStringLit(PipeParser.StringLitContext ctx) {
        return ctx.string() == null ? null : string(ctx.string());
    }

    @Override
    public Object visitTripleStringLit(PipeParser.TripleStringLitContext ctx) {
        Token t = ctx.getStart();
        Span span = spans.span(t);
        String body = tripleBody(t);
        return new Ast.StringLit(List.of(new Ast.Text(body, tripleInner(t))), true, span);
    }

    // --- strings ---------------------------------------------------------------------------------------------------

    private Ast.StringLit string(PipeParser.StringContext ctx) {
        List<Ast.StringPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int textStart = -1;
        int textEnd = -1;
        for (PipeParser.StringPartContext part : ctx.stringPart()) {
            Token t = part.getStart();
            if (part instanceof PipeParser.InterpPartContext interp) {
                if (textStart >= 0) {
                    parts.add(new Ast.Text(text.toString(), Span.of(source, textStart, textEnd)));
                    text.setLength(0);
                    textStart = -1;
                }
                Ast.Expr e = expr(interp.expr());
                if (e != null) {
                    parts.add(new Ast.Interpolation(e, spans.span(interp)));
                }
                continue;
            }
            if (!TokenSpans.isReal(t)) {
                continue;
            }
            if (part instanceof PipeParser.TextPartContext) {
                text.append(t.getText());
            } else if (part instanceof PipeParser.EscapePartContext) {
                String decoded = StringLiterals.decodeEscape(t.getText());
                if (decoded == null) {
                    diagnostics.add(Diagnostic.of(Code.E0003, spans.span(t), t.getText()));
                    decoded = t.getText();
                }
                text.append(decoded);
            } else if (part instanceof PipeParser.BadEscapePartContext) {
                diagnostics.add(Diagnostic.of(Code.E0003, spans.span(t), SyntaxErrorStrategy.printable(t.getText())));
                text.append(t.getText());
            } else {
                continue;
            }
            if (textStart < 0) {
                textStart = spans.start(t);
            }
            textEnd = spans.end(t);
        }
        if (textStart >= 0) {
            parts.add(new Ast.Text(text.toString(), Span.of(source, textStart, textEnd)));
        }
        return new Ast.StringLit(List.copyOf(parts), false, stringSpan(ctx));
    }

    /** The value of a string that must be constant, or null after reporting why it is not. */
    private String constant(PipeParser.StringContext ctx, String what) {
        Ast.StringLit s = string(ctx);
        String value = s.constant();
        if (value == null) {
            diagnostics.add(Diagnostic.of(Code.E0001, s.span(), what + " cannot contain `${...}`")
                    .withHelp("write the text literally, or escape the dollar sign as `\\$`"));
        }
        return value;
    }

    /** A string ended by a line break (unterminated) does not include the line break. */
    private Span stringSpan(PipeParser.StringContext ctx) {
        Token stop = ctx.getStop();
        if (TokenSpans.isReal(stop) && stop.getType() == PipeLexer.STRING_NEWLINE
                && stop.getTokenIndex() > ctx.getStart().getTokenIndex()) {
            return Span.of(source, spans.start(ctx.getStart()), spans.start(stop));
        }
        return spans.span(ctx);
    }

    private String tripleBody(Token t) {
        Span inner = tripleInner(t);
        return StringLiterals.trimIndent(inner.text());
    }

    private Span tripleInner(Token t) {
        int start = spans.start(t);
        int end = spans.end(t);
        String text = source.text().substring(start, end);
        boolean closed = text.length() >= 6 && text.endsWith("\"\"\"");
        return Span.of(source, Math.min(end, start + 3), closed ? end - 3 : end);
    }

    // --- comments -------------------------------------------------------------------------------------------------

    private List<Ast.Comment> comments() {
        List<Ast.Comment> out = new ArrayList<>();
        for (Token t : spans.tokens()) {
            int type = t.getType();
            if (type == PipeLexer.LINE_COMMENT || type == PipeLexer.BLOCK_COMMENT || type == PipeLexer.DOC_COMMENT) {
                out.add(new Ast.Comment(t.getText(), spans.span(t)));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The {@code ///} lines right above the token that starts a construct: each alone on its line, one line
     * break apart, the last one on the line just above.
     */
    private String doc(Token first) {
        if (!TokenSpans.isReal(first)) {
            return "";
        }
        List<Token> tokens = spans.tokens();
        List<String> lines = new ArrayList<>();
        int j = skipBlanks(tokens, first.getTokenIndex() - 1);
        while (j >= 0 && tokens.get(j).getType() == PipeLexer.NEWLINE) {
            int d = skipBlanks(tokens, j - 1);
            if (d < 0 || tokens.get(d).getType() != PipeLexer.DOC_COMMENT) {
                break;
            }
            int before = skipBlanks(tokens, d - 1);
            if (before >= 0 && tokens.get(before).getType() != PipeLexer.NEWLINE) {
                break;
            }
            lines.add(0, docLine(tokens.get(d).getText()));
            j = before;
        }
        return String.join("\n", lines);
    }

    private static int skipBlanks(List<Token> tokens, int i) {
        while (i >= 0 && tokens.get(i).getType() == PipeLexer.WS) {
            i--;
        }
        return i;
    }

    private static String docLine(String text) {
        String line = text.startsWith("///") ? text.substring(3) : text;
        if (line.startsWith(" ")) {
            line = line.substring(1);
        }
        return line.stripTrailing();
    }

    // --- small helpers ------------------------------------------------------------------------------------------------

    private static BigInteger digits(String text) {
        return new BigInteger(text.replace("_", ""));
    }

    private Ast.Expr expr(PipeParser.ExprContext ctx) {
        return as(Ast.Expr.class, ctx);
    }

    private Ast.TypeRef type(PipeParser.TypeRefContext ctx) {
        return as(Ast.TypeRef.class, ctx);
    }

    private <T> T as(Class<T> type, ParserRuleContext ctx) {
        if (ctx == null) {
            return null;
        }
        Object o = visit(ctx);
        return type.isInstance(o) ? type.cast(o) : null;
    }

    private static <T> void add(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    private Ast.Ident ident(TerminalNode node) {
        if (node == null || !TokenSpans.isReal(node.getSymbol())) {
            return null;
        }
        return new Ast.Ident(node.getText(), spans.span(node.getSymbol()));
    }

    /** The i-th token of a type directly under ctx, ignoring what error recovery skipped or made up. */
    private static TerminalNode tok(ParserRuleContext ctx, int type, int i) {
        List<TerminalNode> all = toks(ctx, type);
        return i < all.size() ? all.get(i) : null;
    }

    private static List<TerminalNode> toks(ParserRuleContext ctx, int type) {
        List<TerminalNode> out = new ArrayList<>();
        if (ctx == null || ctx.children == null) {
            return out;
        }
        for (ParseTree child : ctx.children) {
            if (child instanceof TerminalNode t && !(child instanceof ErrorNode) && t.getSymbol().getType() == type
                    && TokenSpans.isReal(t.getSymbol())) {
                out.add(t);
            }
        }
        return out;
    }
}
