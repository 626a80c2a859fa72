package dev.freestone.syntax;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import dev.freestone.syntax.antlr.PipeLexer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovering strategy, with its reports turned into diagnostics that speak the user's words:
 * {@code syntax error: unexpected `}`, expected an expression} instead of token names. One diagnostic
 * per offending token: the cascade that recovery sometimes produces on the same token is dropped.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private static final Vocabulary VOCABULARY = PipeLexer.VOCABULARY;

    private static final int[] DECLARATION_START = {
        PipeLexer.IMPORT, PipeLexer.COMPONENT, PipeLexer.PIPELINE, PipeLexer.STRUCT, PipeLexer.ARTIFACT};
    private static final int[] EXPRESSION_START = {
        PipeLexer.IDENT, PipeLexer.INT, PipeLexer.FLOAT, PipeLexer.DURATION, PipeLexer.QUANTITY, PipeLexer.TRUE,
        PipeLexer.FALSE, PipeLexer.NULL, PipeLexer.STRING_START, PipeLexer.TRIPLE_STRING, PipeLexer.LPAREN,
        PipeLexer.LBRACK, PipeLexer.LBRACE, PipeLexer.MINUS, PipeLexer.BANG, PipeLexer.NOT};
    private static final int[] STATEMENT_START = {PipeLexer.IF, PipeLexer.FOR, PipeLexer.FINALLY, PipeLexer.OUTPUT};
    private static final int[] SETTING_START = {PipeLexer.IDENT, PipeLexer.STRING_START, PipeLexer.SCRIPT};
    private static final int[] BINARY_OPERATOR = {
        PipeLexer.STAR, PipeLexer.SLASH, PipeLexer.PERCENT, PipeLexer.PLUS, PipeLexer.MINUS, PipeLexer.LT, PipeLexer.LE,
        PipeLexer.GT, PipeLexer.GE, PipeLexer.EQEQ, PipeLexer.NEQ, PipeLexer.AND, PipeLexer.ANDAND, PipeLexer.OR,
        PipeLexer.OROR};
    /** Tokens never worth naming in an expected list. */
    private static final int[] UNSPOKEN = {
        PipeLexer.BAD_UNIT, PipeLexer.STRING_TEXT, PipeLexer.STRING_ESCAPE, PipeLexer.BAD_ESCAPE,
        PipeLexer.STRING_NEWLINE, PipeLexer.UNKNOWN_CHAR, PipeLexer.DOC_COMMENT, PipeLexer.LINE_COMMENT,
        PipeLexer.BLOCK_COMMENT, PipeLexer.NEWLINE, PipeLexer.WS};

    private final TokenSpans spans;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<Integer> reportedTokens = new HashSet<>();

    SyntaxErrorStrategy(TokenSpans spans) {
        this.spans = spans;
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * In a loop ({@code decl*}, {@code stmt*}, {@code option*}, argument lists), skip what cannot start
     * the next element and carry on, instead of abandoning the whole rule: ANTLR's default would throw,
     * and at the top level its recovery then skips to the end of the file.
     */
    @Override
    public void sync(org.antlr.v4.runtime.Parser recognizer) throws RecognitionException {
        try {
            super.sync(recognizer);
        } catch (InputMismatchException e) {
            reportError(recognizer, e);
            // A declaration keyword always ends the damage: never skip into the next declaration.
            IntervalSet resume = new IntervalSet(getExpectedTokens(recognizer));
            for (int t : DECLARATION_START) {
                resume.add(t);
            }
            consumeUntil(recognizer, resume);
        }
    }

    @Override
    protected void reportNoViableAlternative(org.antlr.v4.runtime.Parser recognizer, NoViableAltException e) {
        Token offending = e.getOffendingToken();
        // The expected set belongs to where the decision started; it only describes the offending token
        // when the decision failed right there.
        IntervalSet expected = e.getStartToken() == offending ? e.getExpectedTokens() : null;
        unexpected(recognizer, offending, expected);
    }

    @Override
    protected void reportInputMismatch(org.antlr.v4.runtime.Parser recognizer, InputMismatchException e) {
        unexpected(recognizer, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportFailedPredicate(org.antlr.v4.runtime.Parser recognizer, FailedPredicateException e) {
        unexpected(recognizer, e.getOffendingToken(), null);
    }

    @Override
    protected void reportUnwantedToken(org.antlr.v4.runtime.Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        unexpected(recognizer, recognizer.getCurrentToken(), getExpectedTokens(recognizer));
    }

    @Override
    protected void reportMissingToken(org.antlr.v4.runtime.Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        Token current = recognizer.getCurrentToken();
        if (!reportedTokens.add(current.getTokenIndex())) {
            return;
        }
        IntervalSet expected = getExpectedTokens(recognizer);
        Diagnostic keyword = keywordAfterDot(recognizer.getInputStream(), current, expected);
        if (keyword != null) {
            diagnostics.add(keyword);
            return;
        }
        Token arrow = recognizer.getInputStream().LT(-1);
        if (arrow != null && arrow.getType() == PipeLexer.ARROW && expected.contains(PipeLexer.LPAREN)) {
            // KFP's `-> float`: a function's return value is a named output here
            String type = current.getType() == PipeLexer.IDENT ? current.getText() : "Float";
            diagnostics.add(Diagnostic.of(Code.E0006, missingSpan(current), describeExpected(expected))
                    .withHelp(unnamedOutputHelp(type)));
            return;
        }
        if (pythonIs(current)) {
            // `if x is not None {`: the parser would insert the `{` before `is`
            diagnostics.add(Diagnostic.of(Code.E0001, spans.span(current), "unexpected `is`").withHelp(IS_HELP));
            return;
        }
        Diagnostic d = Diagnostic.of(Code.E0006, missingSpan(current), describeExpected(expected));
        String opener = openerHelp(recognizer.getContext(), expected, recognizer.getInputStream(), current);
        diagnostics.add(opener == null ? d : d.withHelp(opener));
    }

    @Override
    public void reportError(org.antlr.v4.runtime.Parser recognizer, RecognitionException e) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        if (e instanceof NoViableAltException nv) {
            reportNoViableAlternative(recognizer, nv);
        } else if (e instanceof InputMismatchException im) {
            reportInputMismatch(recognizer, im);
        } else if (e instanceof FailedPredicateException fp) {
            reportFailedPredicate(recognizer, fp);
        } else {
            unexpected(recognizer, e.getOffendingToken(), null);
        }
    }

    private void unexpected(org.antlr.v4.runtime.Parser recognizer, Token offending, IntervalSet expected) {
        if (offending == null || !reportedTokens.add(offending.getTokenIndex())) {
            return;
        }
        Token before = recognizer.getInputStream().LT(-1);
        if (expected != null && before != null && before.getType() == PipeLexer.ASSIGN
                && (offending.getType() == Token.EOF || before.getLine() < offending.getLine())
                && java.util.Arrays.stream(EXPRESSION_START).anyMatch(expected::contains)) {
            // `retry =` ends its line: the value is missing after the `=`, not wrong at the next line's token
            diagnostics.add(Diagnostic.of(Code.E0006, missingSpan(offending), "a value after `=`"));
            return;
        }
        Token dangling = offending.getType() == PipeLexer.ASSIGN ? danglingAssign(recognizer.getInputStream(), offending) : null;
        if (dangling != null) {
            // `x =` ends its line and `y = 1` follows: newlines are no tokens, so the parser read `x = y` and
            // stumbled on the second `=`; the value is missing after the first
            int at = spans.span(dangling).end();
            diagnostics.add(Diagnostic.of(Code.E0006, Span.of(spans.span(dangling).source(), at, at), "a value after `=`"));
            return;
        }
        Diagnostic keyword = keywordAfterDot(recognizer.getInputStream(), offending, expected);
        if (keyword != null) {
            // `x = t.output` followed by more: the parser stumbles on the keyword instead of inserting a name before it
            diagnostics.add(keyword);
            return;
        }
        String wanted = expected == null ? "" : describeExpected(expected);
        String message = "unexpected " + describeFound(offending) + (wanted.isEmpty() ? "" : ", expected " + wanted);
        Span span = offending.getType() == Token.EOF
                ? spans.afterPrevious(offending.getTokenIndex())
                : spans.span(offending);
        Diagnostic d = Diagnostic.of(Code.E0001, span, message);
        // At the end of the file the likely mistake is an unclosed bracket: say which one.
        // So is it when a line ends and a `)` or `]` is still wanted.
        Token previous = recognizer.getInputStream().LT(-1);
        boolean lineEnded = offending.getType() == Token.EOF
                || previous != null && previous.getLine() < offending.getLine() && expected != null
                && (expected.contains(PipeLexer.RPAREN) || expected.contains(PipeLexer.RBRACK))
                // the next declaration starts while a block is open: its `}` is missing
                || expected != null && expected.contains(PipeLexer.RBRACE)
                && java.util.Arrays.stream(DECLARATION_START).anyMatch(k -> k == offending.getType());
        String script = scriptHelp(recognizer.getInputStream(), offending);
        if (script == null) {
            script = shellExpansionHelp(recognizer.getInputStream(), offending);
        }
        if (script == null) {
            script = methodCallHelp(recognizer.getInputStream(), offending);
        }
        if (script == null) {
            script = argoKeyHelp(recognizer.getInputStream(), offending, expected);
        }
        if (script == null) {
            script = settingsHelp(recognizer.getContext(), recognizer.getInputStream(), offending, expected);
        }
        if (script == null) {
            script = unnamedHelp(recognizer.getInputStream(), offending, expected);
        }
        String help = script != null ? script
                : expected == null || !lineEnded
                ? habitHelp(offending, expected, previous)
                : openerHelp(recognizer.getContext(), expected, recognizer.getInputStream(), offending);
        diagnostics.add(help == null ? d : d.withHelp(help));
    }

    /**
     * {@code t.output}: a keyword where a member's name goes (KFP's {@code task.output} is the habit), written right
     * after the {@code .}; not {@code t.} typed at the end of a line whose next line starts with a keyword (an editor's
     * state mid-word). Null for anything else.
     */
    private Diagnostic keywordAfterDot(TokenStream tokens, Token current, IntervalSet expected) {
        Token before = tokens.LT(-1);
        if (expected == null || before == null || before.getType() != PipeLexer.DOT || !expected.contains(PipeLexer.IDENT)
                || current.getStartIndex() != before.getStopIndex() + 1 || current.getText() == null
                || !current.getText().matches("[a-z]+")) {
            return null;
        }
        Token owner = tokens.LT(-2);
        String step = owner != null && owner.getType() == PipeLexer.IDENT ? owner.getText() : "STEP";
        return Diagnostic.of(Code.E0006, missingSpan(current), "a name after `.`: `" + current.getText()
                + "` is a keyword").withHelp(current.getType() == PipeLexer.OUTPUT
                ? "a step's output is named here (KFP's `task.output` is `" + step + ".NAME`, with NAME from the"
                        + " component's `-> (...)`)"
                : "write the name of a member, e.g. an output of `" + step + "`");
    }

    /**
     * The {@code =} that ends the line before the one of {@code offending} (an {@code =} too), when all that
     * stands before {@code offending} on its line is what the parser took for that {@code =}'s value:
     * {@code x =} then {@code y = 1}, {@code image =} then {@code command = [...]}. Else null.
     */
    private static Token danglingAssign(TokenStream tokens, Token offending) {
        boolean valueOnLine = false;
        for (int i = offending.getTokenIndex() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            if (t.getLine() == offending.getLine()) {
                valueOnLine = true;
                continue;
            }
            return valueOnLine && t.getType() == PipeLexer.ASSIGN ? t : null;
        }
        return null;
    }

    /**
     * {@code scirpt = python """..."""}, a misspelt {@code script}: only {@code script} takes an interpreter before its
     * text, so the parser read {@code scirpt = python} and stumbled on the text. Null for anything else.
     */
    private static String scriptHelp(TokenStream tokens, Token offending) {
        if (offending.getType() != PipeLexer.TRIPLE_STRING) {
            return null;
        }
        Token interpreter = tokens.LT(-1);
        Token assign = tokens.LT(-2);
        Token key = tokens.LT(-3);
        Token before = tokens.LT(-4);
        // a setting starts its line; `text = f"..."` in a call's arguments is an f-string (below)
        if (interpreter == null || assign == null || key == null || interpreter.getType() != PipeLexer.IDENT
                || assign.getType() != PipeLexer.ASSIGN || key.getType() != PipeLexer.IDENT
                || key.getLine() != offending.getLine() || interpreter.getLine() != offending.getLine()
                || before != null && before.getLine() == key.getLine()) {
            return null;
        }
        String form = "a script is written `script = " + interpreter.getText() + " \"\"\"...\"\"\"`";
        return dev.freestone.diag.DidYouMean.closest(key.getText(), java.util.List.of("script"))
                .map(k -> "did you mean `script`? " + form)
                .orElse("only `script` takes an interpreter before its text: " + form);
    }

    /**
     * {@code "echo ${HOME:-/root}"}: a shell's default for a variable, where {@code ${} interpolates a value of the
     * pipeline; the parser read the name and stumbled on the {@code :}. Null for anything else.
     */
    private String shellExpansionHelp(TokenStream tokens, Token offending) {
        Token name = tokens.LT(-1);
        Token open = tokens.LT(-2);
        if (offending.getType() != PipeLexer.COLON || name == null || open == null || name.getType() != PipeLexer.IDENT
                || open.getType() != PipeLexer.INTERP_START) {
            return null;
        }
        String text = spans.source().text();
        int from = spans.span(open).start();
        int close = text.indexOf('}', from);
        int lineEnd = text.indexOf('\n', from);
        if (close < 0 || lineEnd >= 0 && close > lineEnd) {
            return null;
        }
        return Parser.shellHelp(text.substring(from, close + 1));
    }

    /**
     * {@code "acc={}".format(x)}, {@code name.upper()}: a method called on a value, which has none (a step's
     * {@code fit.set_retry(3)} is a call the checker explains). Null for anything else.
     */
    private static String methodCallHelp(TokenStream tokens, Token offending) {
        Token name = tokens.LT(-1);
        Token dot = tokens.LT(-2);
        if (offending.getType() != PipeLexer.LPAREN || name == null || dot == null || name.getType() != PipeLexer.IDENT
                || dot.getType() != PipeLexer.DOT) {
            return null;
        }
        return name.getText().equals("format")
                ? "there is no `.format(...)`: a string interpolates `${...}` itself, e.g. `\"acc=${fit.accuracy}\"`"
                : "values have no methods (`." + name.getText() + "(...)`): the builtins are functions (`len(x)`, `str(x)`),"
                        + " and anything else is computed by a step";
    }

    /**
     * A key of an Argo DAG task or template written as in its YAML, {@code dependencies: [a]} under a step,
     * {@code when: "..."}, {@code retryStrategy:} in a component: the construct that does it here. Null for anything else.
     */
    private static String argoKeyHelp(TokenStream tokens, Token offending, IntervalSet expected) {
        Token key = visibleBefore(tokens, offending.getTokenIndex());
        // not an argument, `say(when: 1)`: that one is `name = value` whatever its name
        if (offending.getType() != PipeLexer.COLON || key == null || key.getType() != PipeLexer.IDENT
                || expected != null && expected.contains(PipeLexer.RPAREN)) {
            return null;
        }
        return dev.freestone.diag.ArgoWords.help(key.getText()).orElse(null);
    }

    /**
     * Settings written as in Python or YAML: {@code with { retry: 3 }}, {@code { retry = 3, timeout = 1h }}, and KFP's
     * {@code parallelism=2} after a loop's list. Null for anything else.
     */
    private static String settingsHelp(ParserRuleContext ctx, TokenStream tokens, Token offending, IntervalSet expected) {
        // from the offending token, not the stream's place: a failed decision reports with the stream at its start
        Token previous = visibleBefore(tokens, offending.getTokenIndex());
        Token before = previous == null ? null : visibleBefore(tokens, previous.getTokenIndex());
        if (previous == null) {
            return null;
        }
        if (previous.getType() == PipeLexer.PARALLEL && offending.getType() == PipeLexer.ASSIGN) {
            return "write `parallel 2`: the most iterations at once follows `parallel`, without `=`";
        }
        if (offending.getType() == PipeLexer.IDENT && expected != null && expected.contains(PipeLexer.PARALLEL)
                && dev.freestone.diag.DidYouMean.closest(offending.getText(), List.of("parallel")).isPresent()) {
            return "did you mean `parallel`? KFP's `ParallelFor(items, parallelism=2)` is `for x in items parallel 2 { ... }`";
        }
        if (offending.getType() == PipeLexer.COMMA && expected != null && expected.contains(PipeLexer.SCRIPT)) {
            return "settings are separated by a space or a new line, not `,`: `retry = 3  timeout = 1h`";
        }
        boolean settingStarts = before != null && (before.getType() == PipeLexer.LBRACE || before.getLine() < previous.getLine());
        if (offending.getType() == PipeLexer.COLON && previous.getType() == PipeLexer.IDENT && settingStarts
                && inSettings(ctx)) {
            return "settings are written `name = value`: `" + previous.getText() + " = ...`";
        }
        return null;
    }

    /** The token before index {@code i} that the parser sees, or null. */
    private static Token visibleBefore(TokenStream tokens, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (tokens.get(k).getChannel() == Token.DEFAULT_CHANNEL) {
                return tokens.get(k);
            }
        }
        return null;
    }

    /** Whether {@code ctx} is in a component's settings or a call's {@code with { ... }}. */
    private static boolean inSettings(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c instanceof dev.freestone.syntax.antlr.PipeParser.WithClauseContext
                    || c instanceof dev.freestone.syntax.antlr.PipeParser.ComponentDeclContext) {
                return true;
            }
            if (c instanceof dev.freestone.syntax.antlr.PipeParser.ExprContext) {
                return false;
            }
        }
        return false;
    }

    /** Python's {@code x is None}, {@code x is not None}: comparisons are {@code ==} and {@code !=}. */
    private static boolean pythonIs(Token t) {
        return t.getType() == PipeLexer.IDENT && "is".equals(t.getText());
    }

    static final String IS_HELP = "compare with `==` or `!=`: Python's `x is not None` is `x != null`";

    /**
     * What a Python (KFP) habit means here, when the unexpected token is one: {@code if a = b},
     * {@code if a > b:}, {@code step(name: value)}.
     */
    private static String habitHelp(Token offending, IntervalSet expected, Token previous) {
        if (expected == null) {
            return null;
        }
        int type = offending.getType();
        if (type == PipeLexer.ASSIGN && expected.contains(PipeLexer.EQEQ)) {
            return "to compare, write `==`";
        }
        if (pythonIs(offending)) {
            return IS_HELP;
        }
        if (type == PipeLexer.FOR && expected.contains(PipeLexer.RBRACK)) {
            // `[train(lr = lr) for lr in rates]`
            return "there are no list comprehensions: a loop is a statement, `for lr in rates { fit = train(lr = lr) }`,"
                    + " and after it `fit.model` is the list of every iteration's";
        }
        if (type == PipeLexer.IDENT && "def".equals(offending.getText()) && expected.contains(PipeLexer.COMPONENT)) {
            return "there are no Python functions: a step's code is a component, `component NAME(x: Float) -> (y: Float)"
                    + " { image = \"python:3.12-slim\"  script = python \"\"\"...\"\"\" }`, with its Python in the script";
        }
        if (type == PipeLexer.COLON && expected.contains(PipeLexer.LBRACE)) {
            return "a block is written in braces: `if CONDITION { ... }`, `for x in LIST { ... }`";
        }
        if (type == PipeLexer.COLON && expected.contains(PipeLexer.RPAREN)) {
            return "arguments are written `name = value`";
        }
        if (type == PipeLexer.IDENT && expected.contains(PipeLexer.COMMA)) {
            return "separate the items with `,`";
        }
        if (type == PipeLexer.STRING_START && previous != null && previous.getType() == PipeLexer.IDENT
                && previous.getText().matches("(?i)[fr]{1,2}") && previous.getStopIndex() + 1 == offending.getStartIndex()) {
            // Python's f"lr={lr}": a string interpolates by itself, with `${...}`
            return "there are no f-strings: a string interpolates `${...}` itself, e.g. `\"lr=${lr}\"`";
        }
        if (type == PipeLexer.WITH && expected.contains(PipeLexer.FOR) && expected.contains(PipeLexer.IF)) {
            // a statement that starts with `with`: KFP's `with dsl.ParallelFor(...) as x:` and its kin
            return "KFP's `with dsl.ParallelFor(items) as x:` is `for x in items { ... }` here, `with dsl.If(c):` (or"
                    + " dsl.Condition) `if c { ... }`, `with dsl.ExitHandler(t):` `finally { ... }`; `with { ... }` after"
                    + " a call sets that step's options";
        }
        if (previous != null && previous.getType() == PipeLexer.DOT && expected.contains(PipeLexer.IDENT)) {
            // `x = fit.` ends its line: the next line's first word is not the name that is missing
            return "a name is missing after the `.` on line " + previous.getLine();
        }
        if (type != PipeLexer.IDENT && expected.contains(PipeLexer.IDENT) && offending.getText() != null
                && offending.getText().matches("[a-z]+")) {
            // `-> (output: String)`, KFP's default output name; `(if: Int)`: only a keyword is letters and no IDENT
            return keywordNotName(offending.getText());
        }
        return null;
    }

    /** The help for an output written as its type alone, KFP's {@code -> float}. */
    private static String unnamedOutputHelp(String type) {
        return "an output has a name and a type: KFP's returned value is written `-> (result: " + type
                + ")` and read as `step.result`";
    }

    /**
     * {@code -> (Float)}, {@code (Float, Int)}: a type without its name in a list of outputs (KFP's returned value) or
     * of parameters. Null for anything else.
     */
    private static String unnamedHelp(TokenStream tokens, Token offending, IntervalSet expected) {
        Token type = visibleBefore(tokens, offending.getTokenIndex());
        if (expected == null || !expected.contains(PipeLexer.COLON) || type == null || type.getType() != PipeLexer.IDENT
                || offending.getType() != PipeLexer.RPAREN && offending.getType() != PipeLexer.COMMA) {
            return null;
        }
        Token t = type;
        while (t != null && t.getType() != PipeLexer.LPAREN) {
            t = visibleBefore(tokens, t.getTokenIndex());
        }
        Token arrow = t == null ? null : visibleBefore(tokens, t.getTokenIndex());
        return arrow != null && arrow.getType() == PipeLexer.ARROW ? unnamedOutputHelp(type.getText())
                : "a parameter has a name and a type: `NAME: " + type.getText() + "`";
    }

    /** The help for a keyword written where a name goes: {@code -> (output: String)}, {@code (pipeline: String)}. */
    static String keywordNotName(String keyword) {
        return "`" + keyword + "` is a keyword, not a name: call it something else (`" + keyword
                + "_`, or a word that says what it holds)";
    }

    /** A missing token belongs right after the last one written: that is where to add it. */
    private Span missingSpan(Token current) {
        return spans.afterPrevious(current.getTokenIndex());
    }

    /** For a missing closing bracket, where its opening one is. */
    private String openerHelp(ParserRuleContext ctx, IntervalSet expected, TokenStream tokens, Token offending) {
        int open;
        String close;
        if (expected.contains(PipeLexer.RBRACE)) {
            open = PipeLexer.LBRACE;
            close = "}";
        } else if (expected.contains(PipeLexer.RPAREN)) {
            open = PipeLexer.LPAREN;
            close = ")";
        } else if (expected.contains(PipeLexer.RBRACK)) {
            open = PipeLexer.LBRACK;
            close = "]";
        } else {
            return null;
        }
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            var opener = c.getToken(open, 0);
            if (opener != null && TokenSpans.isReal(opener.getSymbol())) {
                Token unclosed = open == PipeLexer.LBRACE
                        ? unclosedByIndentation(tokens, opener.getSymbol(), offending) : opener.getSymbol();
                Span at = spans.span(unclosed);
                return "add `" + close + "` to close the `" + opener.getText() + "` at " + at.line() + ":" + at.column();
            }
        }
        return null;
    }

    /**
     * The {@code {}} that lacks its {@code }}, by the indentation the user wrote. The parser pairs each
     * {@code }} with the innermost open {@code {}, so when a loop's {@code }} is missing, the pipeline's
     * {@code }} closes the loop and the pipeline's {@code {}} is left open. A {@code }} that starts a line
     * left of the line of the {@code {}} it closed was written for an outer block: that {@code {}} (the
     * innermost such) is the one to close. Without such a sign, {@code outer} it is.
     */
    private static Token unclosedByIndentation(TokenStream tokens, Token outer, Token offending) {
        List<Token> open = new ArrayList<>();
        Token previous = outer;
        int end = offending.getTokenIndex() < 0 ? tokens.size() : offending.getTokenIndex();
        for (int i = outer.getTokenIndex(); i < end && i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            if (t.getType() == PipeLexer.LBRACE) {
                open.add(t);
            } else if (t.getType() == PipeLexer.RBRACE && !open.isEmpty()) {
                Token closed = open.remove(open.size() - 1);
                boolean startsLine = previous.getLine() < t.getLine();
                if (startsLine && t.getCharPositionInLine() < indentation(tokens, closed)) {
                    return closed;
                }
            }
            previous = t;
        }
        return outer;
    }

    /** The column of the first token on {@code t}'s line. */
    private static int indentation(TokenStream tokens, Token t) {
        int column = t.getCharPositionInLine();
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token before = tokens.get(i);
            if (before.getLine() != t.getLine()) {
                break;
            }
            if (before.getChannel() == Token.DEFAULT_CHANNEL) {
                column = before.getCharPositionInLine();
            }
        }
        return column;
    }

    static String describeFound(Token t) {
        int type = t.getType();
        if (type == Token.EOF) {
            return "end of file";
        }
        if (type == PipeLexer.STRING_START || type == PipeLexer.TRIPLE_STRING) {
            return "string";
        }
        String text = t.getText() == null ? "" : t.getText();
        if (text.length() > 24) {
            text = text.substring(0, 23) + "…";
        }
        return "`" + printable(text) + "`";
    }

    /** The expected set in the user's words: categories when a whole family fits, then single tokens. */
    static String describeExpected(IntervalSet expected) {
        BitSet set = new BitSet();
        for (int t : expected.toArray()) {
            if (t >= 0) {
                set.set(t);
            } else if (t == Token.EOF) {
                set.set(0);
            }
        }
        for (int t : UNSPOKEN) {
            set.clear(t);
        }
        List<String> words = new ArrayList<>();
        if (containsAll(set, DECLARATION_START)) {
            words.add("a declaration (`import`, `component`, `pipeline`, `struct`, `artifact`)");
            clear(set, DECLARATION_START);
            set.clear(0);
        }
        if (containsAll(set, STATEMENT_START) && containsAll(set, EXPRESSION_START)) {
            words.add("a statement");
            clear(set, STATEMENT_START);
            clear(set, EXPRESSION_START);
            set.clear(PipeLexer.ELSE);
        }
        if (containsAll(set, SETTING_START)) {
            words.add("a setting");
            clear(set, SETTING_START);
            set.clear(PipeLexer.OUTPUT);
        }
        if (containsAll(set, EXPRESSION_START)) {
            words.add("an expression");
            clear(set, EXPRESSION_START);
        }
        if (containsAll(set, BINARY_OPERATOR)) {
            words.add("an operator");
            clear(set, BINARY_OPERATOR);
            set.clear(PipeLexer.DOT);
            set.clear(PipeLexer.LBRACK);
        }
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> symbols = new TreeSet<>();
        for (int t = set.nextSetBit(0); t >= 0; t = set.nextSetBit(t + 1)) {
            String w = word(t);
            if (w.startsWith("`")) {
                symbols.add(w);
            } else {
                names.add(w);
            }
        }
        words.addAll(names);
        words.addAll(symbols);
        if (words.size() > 5) {
            words = new ArrayList<>(words.subList(0, 4));
            words.add("…");
        }
        return join(words);
    }

    private static String word(int type) {
        switch (type) {
            case 0:
                return "end of file";
            case PipeLexer.IDENT:
                return "a name";
            case PipeLexer.INT:
            case PipeLexer.FLOAT:
                return "a number";
            case PipeLexer.DURATION:
                return "a duration";
            case PipeLexer.QUANTITY:
                return "a quantity";
            case PipeLexer.STRING_START:
            case PipeLexer.TRIPLE_STRING:
                return "a string";
            case PipeLexer.STRING_END:
                return "`\"`";
            default:
                String literal = VOCABULARY.getLiteralName(type);
                if (literal != null && literal.length() >= 2) {
                    return "`" + literal.substring(1, literal.length() - 1) + "`";
                }
                return VOCABULARY.getDisplayName(type).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String join(List<String> words) {
        if (words.isEmpty()) {
            return "";
        }
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static boolean containsAll(BitSet set, int[] types) {
        for (int t : types) {
            if (!set.get(t)) {
                return false;
            }
        }
        return true;
    }

    private static void clear(BitSet set, int[] types) {
        for (int t : types) {
            set.clear(t);
        }
    }

    /** Control characters shown as escapes, so that a message never carries raw terminal codes. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || Character.getType(cp) == Character.SURROGATE
                    || Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.FORMAT) {
                out.append("\\u{").append(Integer.toHexString(cp)).append('}');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
