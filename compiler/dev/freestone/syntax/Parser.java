package dev.freestone.syntax;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.antlr.PipeLexer;
import dev.freestone.syntax.antlr.PipeParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The entry point of the syntax phase: {@code .pipe} text in, {@link Ast.File} and diagnostics out.
 *
 * <p>Parsing is two-stage, like Trino's: the fast SLL prediction with a strategy that gives up at the
 * first error, and only when that fails, full LL prediction with error recovery whose reports become
 * diagnostics. Well-formed files (nearly all of them) never pay for the second stage.
 */
public final class Parser {
    private Parser() {
    }

    /** The file (partial when there are errors) and every syntax diagnostic, sorted by position. */
    public record ParseResult(Ast.File file, List<Diagnostic> diagnostics) {
        public ParseResult {
            Objects.requireNonNull(file);
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return Diagnostic.hasErrors(diagnostics);
        }
    }

    /** Parses one file; never throws for any text. */
    public static ParseResult parse(Source source) {
        Objects.requireNonNull(source);
        try {
            return parseTokens(source);
        } catch (StackOverflowError e) {
            // Only absurd nesting (thousands of brackets) gets here.
            Span at = Span.of(source, 0, 0);
            Ast.File empty = new Ast.File(source, List.of(), List.of(), Span.of(source, 0, source.text().length()));
            return new ParseResult(empty, List.of(Diagnostic.of(Code.E0001, at, "the file nests brackets too deeply")
                    .withHelp("split deeply nested expressions into named values")));
        }
    }

    private static ParseResult parseTokens(Source source) {
        PipeLexer lexer = new PipeLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        TokenSpans spans = new TokenSpans(source, tokens.getTokens());

        List<Diagnostic> diagnostics = new ArrayList<>();
        int unterminatedAtEof = lexicalChecks(spans, diagnostics);
        keywordsAsNames(spans, diagnostics);

        PipeParser parser = new PipeParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        PipeParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            SyntaxErrorStrategy strategy = new SyntaxErrorStrategy(spans);
            parser.setErrorHandler(strategy);
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            tree = parser.file();
            for (Diagnostic d : strategy.diagnostics()) {
                // An unterminated string or comment already explains why the file ended too early.
                if (unterminatedAtEof < 0 || d.span().start() < unterminatedAtEof) {
                    diagnostics.add(d);
                }
            }
        }
        AstBuilder builder = new AstBuilder(spans);
        Ast.File file = builder.build(tree);
        diagnostics.addAll(builder.diagnostics());
        return new ParseResult(file, Diagnostic.sorted(diagnostics));
    }

    /**
     * Reports what the lexer found wrong (unknown characters, unterminated strings and comments) and
     * hides unknown characters from the parser, so that one stray character yields one diagnostic and
     * not a syntax error cascade. Returns the offset where an unterminated string or comment started
     * when it runs into the end of the file, else -1.
     */
    private static int lexicalChecks(TokenSpans spans, List<Diagnostic> diagnostics) {
        List<Token> tokens = spans.tokens();
        Deque<Token> openStrings = new ArrayDeque<>();
        int unterminatedAtEof = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            switch (t.getType()) {
                case PipeLexer.UNKNOWN_CHAR: {
                    int close = "'".equals(t.getText()) ? closingQuote(tokens, i) : -1;
                    if (close > 0) {
                        // 'text' is a string in Python: one mistake, and the text between may well parse
                        ((CommonToken) t).setChannel(Token.HIDDEN_CHANNEL);
                        ((CommonToken) tokens.get(close)).setChannel(Token.HIDDEN_CHANNEL);
                        Span quoted = spans.span(t, tokens.get(close));
                        String inner = quoted.text().substring(1, quoted.text().length() - 1);
                        diagnostics.add(Diagnostic.of(Code.E0004, quoted, "'")
                                .withHelp("strings are written in double quotes: `\"" + inner + "\"`"));
                        i = close;
                        break;
                    }
                    int shell = "#".equals(t.getText()) ? shellExpansionEnd(tokens, i) : -1;
                    if (shell > 0) {
                        // `${#TOKEN}`, a shell's length of a variable, where `${` interpolates: hidden whole, one mistake
                        Token start = previousToken(tokens, i);
                        for (int k = start.getTokenIndex(); k <= shell; k++) {
                            ((CommonToken) tokens.get(k)).setChannel(Token.HIDDEN_CHANNEL);
                        }
                        String written = spans.span(start, tokens.get(shell)).text();
                        diagnostics.add(Diagnostic.of(Code.E0004, spans.span(t), "#").withHelp(shellHelp(written)));
                        i = shell;
                        break;
                    }
                    if ("#".equals(t.getText())) {
                        // a Python comment: the rest of its line is the comment, not code to report
                        int last = i;
                        while (last + 1 < tokens.size() && tokens.get(last + 1).getType() != Token.EOF
                                && tokens.get(last + 1).getLine() == t.getLine()) {
                            last++;
                        }
                        for (int k = i; k <= last; k++) {
                            ((CommonToken) tokens.get(k)).setChannel(Token.HIDDEN_CHANNEL);
                        }
                        Span comment = spans.span(t, tokens.get(last));
                        diagnostics.add(Diagnostic.of(Code.E0004, spans.span(t), "#")
                                .withHelp("comments start with `//` (`#` is Python's): `//" + comment.text().substring(1)
                                        .lines().findFirst().orElse("") + "`"));
                        i = last;
                        break;
                    }
                    if ("@".equals(t.getText()) && decorator(tokens, i)) {
                        // a Python decorator (`@dsl.pipeline`): the keyword is the declaration
                        ((CommonToken) t).setChannel(Token.HIDDEN_CHANNEL);
                        diagnostics.add(Diagnostic.of(Code.E0004, spans.span(t), "@")
                                .withHelp("there are no decorators: `pipeline NAME(...) { ... }` declares a pipeline, "
                                        + "`component NAME(...) { ... }` a component"));
                        break;
                    }
                    int j = i;
                    while (j + 1 < tokens.size() && tokens.get(j + 1).getType() == PipeLexer.UNKNOWN_CHAR) {
                        j++;
                    }
                    StringBuilder text = new StringBuilder();
                    for (int k = i; k <= j; k++) {
                        ((CommonToken) tokens.get(k)).setChannel(Token.HIDDEN_CHANNEL);
                        text.append(tokens.get(k).getText());
                    }
                    diagnostics.add(Diagnostic.of(Code.E0004, spans.span(t, tokens.get(j)),
                            SyntaxErrorStrategy.printable(text.toString())));
                    i = j;
                    break;
                }
                case PipeLexer.STRING_START:
                    openStrings.push(t);
                    break;
                case PipeLexer.STRING_END:
                    if (!openStrings.isEmpty()) {
                        openStrings.pop();
                    }
                    break;
                case PipeLexer.STRING_NEWLINE:
                    if (!openStrings.isEmpty()) {
                        Token start = openStrings.pop();
                        diagnostics.add(Diagnostic.of(Code.E0002,
                                Span.of(spans.source(), spans.start(start), spans.start(t))));
                    }
                    break;
                case PipeLexer.TRIPLE_STRING: {
                    String text = t.getText();
                    if (text.length() < 6 || !text.endsWith("\"\"\"")) {
                        int s = spans.start(t);
                        diagnostics.add(Diagnostic.of(Code.E0002, Span.of(spans.source(), s, s + 3))
                                .withHelp("close the string with `\"\"\"`"));
                        unterminatedAtEof = unterminatedAtEof < 0 ? s : unterminatedAtEof;
                    }
                    break;
                }
                case PipeLexer.BLOCK_COMMENT: {
                    String text = t.getText();
                    if (text.length() < 4 || !text.endsWith("*/")) {
                        int s = spans.start(t);
                        diagnostics.add(Diagnostic.of(Code.E0001, Span.of(spans.source(), s, s + 2),
                                "unterminated comment").withHelp("close the comment with `*/`"));
                        unterminatedAtEof = unterminatedAtEof < 0 ? s : unterminatedAtEof;
                    }
                    break;
                }
                case Token.EOF:
                    if (!openStrings.isEmpty()) {
                        Token start = openStrings.peekLast();
                        int s = spans.start(start);
                        diagnostics.add(Diagnostic.of(Code.E0002, Span.of(spans.source(), s, spans.start(t))));
                        unterminatedAtEof = unterminatedAtEof < 0 ? s : Math.min(unterminatedAtEof, s);
                    }
                    break;
                case PipeLexer.AFTER: {
                    // KFP's `task.after(other)`; the span starts at the dot, where the parser's own error is
                    Token dot = previousToken(tokens, i);
                    if (dot != null && dot.getType() == PipeLexer.DOT) {
                        diagnostics.add(Diagnostic.of(Code.E0001, spans.span(dot, t), "unexpected `.after`")
                                .withHelp("steps have no methods: write `after` at the end of a call, "
                                        + "`x = comp(...) after other`"));
                    }
                    break;
                }
                case PipeLexer.IDENT:
                    if (ELSE_IF_SPELLINGS.contains(t.getText()) && previousIsCloseBrace(tokens, i)) {
                        diagnostics.add(Diagnostic.of(Code.E0001, spans.span(t), "unexpected `" + t.getText() + "`")
                                .withHelp("write `else if CONDITION { ... }`"));
                    } else if (t.getText().equals("is") && pythonIs(tokens, i)) {
                        // `x = tag is None`: statements need no separator, so the parser would read three of them
                        diagnostics.add(Diagnostic.of(Code.E0001, spans.span(t), "unexpected `is`")
                                .withHelp(SyntaxErrorStrategy.IS_HELP));
                    } else if (t.getText().equals("return") && startsStatement(tokens, i)) {
                        diagnostics.add(Diagnostic.of(Code.E0001, spans.span(t), "unexpected `return`")
                                .withHelp("a pipeline's results are bound with `output NAME = VALUE`, "
                                        + "each declared in its `-> (NAME: Type)`"));
                    }
                    break;
                default:
                    break;
            }
        }
        return unterminatedAtEof;
    }

    /**
     * Reports a keyword written as the name of a parameter, an output or an argument ({@code (status: String, pipeline:
     * String)}, {@code report(pipeline = run.name)}: KFP names them freely) and hands it to the parser as a name. Recovery
     * would otherwise take {@code pipeline} or {@code component} for the next declaration and cut the one it is in short,
     * which then "has no image"; the declaration holding it gets no other diagnostic (its uses of the name are keywords
     * still), the rest of the file is checked as usual. Only inside round brackets, right after {@code (} or {@code ,} and
     * before {@code :} or {@code =}, where nothing but a name can stand.
     */
    private static void keywordsAsNames(TokenSpans spans, List<Diagnostic> diagnostics) {
        List<Token> tokens = spans.tokens();
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            switch (t.getType()) {
                case PipeLexer.LPAREN, PipeLexer.LBRACK, PipeLexer.LBRACE, PipeLexer.INTERP_START -> open.push(t.getType());
                case PipeLexer.RPAREN, PipeLexer.RBRACK, PipeLexer.RBRACE -> open.poll();
                default -> {
                    Token before = previousToken(tokens, i);
                    Token after = nextToken(tokens, i);
                    if (t.getType() != PipeLexer.IDENT && t.getText() != null && t.getText().matches("[a-z]+")
                            && Integer.valueOf(PipeLexer.LPAREN).equals(open.peek()) && before != null && after != null
                            && (before.getType() == PipeLexer.LPAREN || before.getType() == PipeLexer.COMMA)
                            && (after.getType() == PipeLexer.COLON || after.getType() == PipeLexer.ASSIGN)) {
                        diagnostics.add(Diagnostic.of(Code.E0001, spans.span(t), "unexpected `" + t.getText()
                                + "`, expected a name").withHelp(SyntaxErrorStrategy.keywordNotName(t.getText())));
                        ((CommonToken) t).setType(PipeLexer.IDENT);
                    }
                }
            }
        }
    }

    /** The token after {@code i} that the parser sees, or null. */
    private static Token nextToken(List<Token> tokens, int i) {
        for (int k = i + 1; k < tokens.size(); k++) {
            if (tokens.get(k).getChannel() == Token.DEFAULT_CHANNEL) {
                return tokens.get(k);
            }
        }
        return null;
    }

    /**
     * The index of the {@code }} that ends {@code ${#NAME}} when the {@code #} at {@code i} follows a {@code ${} (a
     * shell's length of a variable written in a string), else -1.
     */
    private static int shellExpansionEnd(List<Token> tokens, int i) {
        Token before = previousToken(tokens, i);
        if (before == null || before.getType() != PipeLexer.INTERP_START) {
            return -1;
        }
        for (int k = i + 1; k < tokens.size() && tokens.get(k).getLine() == tokens.get(i).getLine(); k++) {
            if (tokens.get(k).getType() == PipeLexer.RBRACE) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The help for a shell's own {@code ${...}} ({@code ${#TOKEN}}, {@code ${HOME:-/root}}) written in a string, where
     * {@code ${} interpolates a value of the pipeline: the escape that passes it to the shell as it is.
     */
    static String shellHelp(String written) {
        return "`${` interpolates a value of the pipeline here; to hand the shell its own `" + written + "`, write `\\"
                + written + "`";
    }

    /** Whether the `is` at {@code i} compares as Python's does: after a value on its line, before `None` or `not`. */
    private static boolean pythonIs(List<Token> tokens, int i) {
        Token next = nextToken(tokens, i);
        return !firstOnLine(tokens, i) && next != null && next.getLine() == tokens.get(i).getLine()
                && (next.getType() == PipeLexer.NOT || next.getType() == PipeLexer.NULL || "None".equals(next.getText()));
    }

    /** How other languages spell {@code else if}; after the `}` of a block they are that mistake. */
    private static final java.util.Set<String> ELSE_IF_SPELLINGS = java.util.Set.of("elif", "elsif", "elseif");

    private static boolean previousIsCloseBrace(List<Token> tokens, int i) {
        Token p = previousToken(tokens, i);
        return p != null && p.getType() == PipeLexer.RBRACE;
    }

    /** Whether the `@` at {@code i} begins its line and a name follows it: {@code @dsl.pipeline}. */
    private static boolean decorator(List<Token> tokens, int i) {
        return firstOnLine(tokens, i) && i + 1 < tokens.size() && tokens.get(i + 1).getType() == PipeLexer.IDENT;
    }

    /** The token before {@code i} that the parser sees, or null. */
    private static Token previousToken(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (tokens.get(k).getChannel() == Token.DEFAULT_CHANNEL) {
                return tokens.get(k);
            }
        }
        return null;
    }

    /** Whether the token is the first of its line and not the name of a binding ({@code return = ...}). */
    private static boolean startsStatement(List<Token> tokens, int i) {
        Token next = nextToken(tokens, i);
        return firstOnLine(tokens, i) && (next == null || next.getType() != PipeLexer.ASSIGN);
    }

    /** Whether no token the parser sees comes before {@code i} on its line. */
    private static boolean firstOnLine(List<Token> tokens, int i) {
        Token previous = previousToken(tokens, i);
        return previous == null || previous.getLine() < tokens.get(i).getLine();
    }

    /** The index of the `'` that closes the one at {@code open} on the same line, else -1. */
    private static int closingQuote(List<Token> tokens, int open) {
        for (int k = open + 1; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.getType() == PipeLexer.NEWLINE || t.getType() == Token.EOF) {
                return -1;
            }
            if (t.getType() == PipeLexer.UNKNOWN_CHAR && "'".equals(t.getText())) {
                return k;
            }
        }
        return -1;
    }
}
