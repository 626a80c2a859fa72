package dev.freestone.check;

import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a component's {@code script} reads the environment variables Freestone sets for it, one per input and
 * output, named like them: a shell script expands {@code $lr} or {@code ${lr}} (as {@link CodeSplices} reads shell
 * code), a Python script reads {@code os.environ["lr"]}, {@code os.environ.get("lr")} or {@code os.getenv("lr")}.
 * Other interpreters' reads are not known.
 */
public final class ScriptVariables {
    private static final Pattern PYTHON_READ = Pattern.compile(
            "\\bos\\s*\\.\\s*(?:environ\\s*\\[|environ\\s*\\.\\s*get\\s*\\(|getenv\\s*\\()\\s*(\\\\?[\"'])([A-Za-z_][A-Za-z0-9_]*)\\1");

    private ScriptVariables() {
    }

    /** Whether {@code script} runs in a shell, whose variables it may set itself ({@link #assigned}). */
    public static boolean isShell(Ast.ScriptOption script) {
        return CodeSplices.isShell(script);
    }

    /** The variables {@code script} reads, each the span of its name in the file, in order. */
    public static List<Span> reads(Ast.ScriptOption script) {
        if (CodeSplices.isShell(script)) {
            return CodeSplices.shellReads(script);
        }
        List<Span> out = new ArrayList<>();
        if (CodeSplices.isPython(script)) {
            Span body = script.bodySpan();
            // a script written as a plain string has its quotes escaped (`os.environ[\"lr\"]`); a triple-quoted one no escapes
            boolean triple = body.text().startsWith("\"\"\"");
            Matcher m = PYTHON_READ.matcher(body.text());
            while (m.find()) {
                if (!triple || !m.group(1).startsWith("\\")) {
                    out.add(Span.of(body.source(), body.start() + m.start(2), body.start() + m.end(2)));
                }
            }
        }
        return out;
    }

    /** The variables a shell {@code script} sets itself ({@code lr=5}, {@code export lr=5}, {@code read lr}); none for others. */
    public static Set<String> assigned(Ast.ScriptOption script) {
        return CodeSplices.isShell(script) ? CodeSplices.shellAssigned(script) : Set.of();
    }
}
