package dev.freestone.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * One problem found in the user's input: a value, never an exception. The message and help texts
 * come from the {@link Code} catalog; call sites only supply the arguments.
 */
public record Diagnostic(Code code, Severity severity, Span span, String message, String help) {

    public Diagnostic {
        Objects.requireNonNull(code);
        Objects.requireNonNull(severity);
        Objects.requireNonNull(span);
        Objects.requireNonNull(message);
        help = help == null ? "" : help;
    }

    /**
     * Formats the message with the first arguments (as many as its template has placeholders) and the
     * help line with the rest.
     */
    public static Diagnostic of(Code code, Span span, Object... args) {
        int m = placeholders(code.template());
        Object[] messageArgs = new Object[m];
        for (int i = 0; i < m; i++) {
            messageArgs[i] = i < args.length ? args[i] : "?";
        }
        String message = String.format(code.template(), messageArgs);
        int h = placeholders(code.helpTemplate());
        Object[] helpArgs = new Object[h];
        for (int i = 0; i < h; i++) {
            helpArgs[i] = m + i < args.length ? args[m + i] : "?";
        }
        String help = String.format(code.helpTemplate(), helpArgs);
        return new Diagnostic(code, code.severity(), span, message, help);
    }

    /** The same diagnostic with another help line (for "did you mean" suggestions). */
    public Diagnostic withHelp(String newHelp) {
        return new Diagnostic(code, severity, span, message, newHelp);
    }

    public Diagnostic withSeverity(Severity s) {
        return new Diagnostic(code, s, span, message, help);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String file() {
        return span.path();
    }

    private static int placeholders(String template) {
        int n = 0;
        for (int i = template.indexOf("%s"); i >= 0; i = template.indexOf("%s", i + 2)) {
            n++;
        }
        return n;
    }

    /** Position order (file, offset), then code; used everywhere diagnostics are reported. */
    public static final Comparator<Diagnostic> ORDER = Comparator
            .comparing((Diagnostic d) -> d.span().path())
            .thenComparingInt(d -> d.span().start())
            .thenComparingInt(d -> d.span().end())
            .thenComparing(d -> d.code().name())
            .thenComparing(Diagnostic::message);

    /** Sorted by position, without duplicates (same code, place and message). */
    public static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> copy = new ArrayList<>(diagnostics);
        copy.sort(ORDER);
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : copy) {
            String key = d.code() + "@" + d.span().path() + ":" + d.span().start() + "-" + d.span().end() + ":" + d.message();
            if (seen.add(key)) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    public static boolean hasErrors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
