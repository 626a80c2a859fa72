package dev.freestone.check;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one syntax mistake from being reported as a screenful of unrelated ones. After a syntax
 * error the parser's recovery guesses how the text goes on, and both its later syntax errors and
 * what the checker says about the guessed tree are mostly wrong (an unclosed `{` puts the rest of
 * the pipeline inside a loop; `if a = b {` turns the branch into statements that "do nothing").
 *
 * <ul>
 *   <li>A parser error (E0001, E0005, E0006) that follows another syntax error of its file is kept
 *       only when a declaration starts a line between the two: recovery has then found firm ground.
 *       Lexical errors (E0002 to E0004) are each a mistake of their own and are always kept.</li>
 *   <li>The declaration holding a syntax error (from its start to the start of the next one) gets
 *       no other diagnostic: its tree is a guess. The other declarations are checked as usual, and an
 *       error after the end of a declaration that another follows (`@dsl.pipeline` above the next
 *       one) is held by neither (golden {@code check/syntax_between_declarations}); it holds what recovery
 *       made of the text from it to the next declaration starting a line, a pasted {@code def} read as a
 *       component (golden {@code check/syntax_pasted_python}).</li>
 *   <li>Calls of a component or pipeline whose declaration holds a syntax error are not checked
 *       against its inputs (the checker asks {@link #brokenRegionStarts}).</li>
 *   <li>Unused imports are not reported for a file with a syntax error: the use may be in the
 *       text the parser lost.</li>
 * </ul>
 */
final class SyntaxCascades {
    private static final Set<Code> LEXICAL = Set.of(Code.E0002, Code.E0003, Code.E0004);

    private SyntaxCascades() {
    }

    static List<Diagnostic> settle(List<Diagnostic> diagnostics, List<Module> modules) {
        Map<Source, List<Diagnostic>> syntax = new IdentityHashMap<>();
        for (Diagnostic d : diagnostics) {
            if (isSyntax(d)) {
                syntax.computeIfAbsent(d.span().source(), s -> new ArrayList<>()).add(d);
            }
        }
        if (syntax.isEmpty()) {
            return diagnostics;
        }
        Map<Source, Heads> declStarts = new IdentityHashMap<>();
        for (Module m : modules) {
            declStarts.put(m.source(), declarationStarts(m.file()));
        }
        Set<Diagnostic> dropped = new HashSet<>();
        Map<Source, List<int[]>> broken = new IdentityHashMap<>();
        for (Map.Entry<Source, List<Diagnostic>> e : syntax.entrySet()) {
            Heads starts = declStarts.getOrDefault(e.getKey(), new Heads(new int[0], new int[0], -1));
            List<Diagnostic> errors = new ArrayList<>(e.getValue());
            errors.sort(Comparator.comparingInt(d -> d.span().start()));
            Diagnostic previous = null;
            for (Diagnostic d : errors) {
                int at = d.span().start();
                if (previous != null && !LEXICAL.contains(d.code()) && !declarationBetween(starts.starts(), previous.span().start(), at)) {
                    dropped.add(d);
                }
                previous = d;
                broken.computeIfAbsent(e.getKey(), s -> new ArrayList<>()).add(region(starts, at));
            }
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (dropped.contains(d)) {
                continue;
            }
            List<int[]> regions = broken.get(d.span().source());
            if (!isSyntax(d) && regions != null && (d.code() == Code.W0003 || inside(regions, d.span().start()))) {
                continue;
            }
            out.add(d);
        }
        return out;
    }

    /**
     * The starts of the regions of {@code m} that hold a syntax error (see the class comment): a
     * declaration starting at one of them holds a syntax error. Syntax errors are all found while
     * loading, before checking, so the checker asks once per module.
     */
    static Set<Integer> brokenRegionStarts(Module m, List<Diagnostic> diagnostics) {
        Set<Integer> out = new HashSet<>();
        brokenRegions(m.file(), diagnostics).forEach(r -> out.add(r[0]));
        return out;
    }

    /**
     * The declarations of {@code file} that recovery made of a keyword it met mid-line, in a region holding a
     * syntax error: {@code @dsl.component(base_image=...)} read as a component {@code base_image},
     * {@code from kfp import dsl} as an import {@code dsl}. The user wrote no such declaration; a
     * declaration that begins its line, or shares a line with others in a file without a mistake there, is
     * the user's.
     */
    static Set<Ast.Decl> guessed(Ast.File file, List<Diagnostic> diagnostics) {
        List<int[]> regions = brokenRegions(file, diagnostics);
        Set<Ast.Decl> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Ast.Decl d : file.decls()) {
            if (!startsLine(d.span()) && inside(regions, d.span().start())) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<int[]> brokenRegions(Ast.File file, List<Diagnostic> diagnostics) {
        List<int[]> out = new ArrayList<>();
        Heads starts = null;
        for (Diagnostic x : diagnostics) {
            if (isSyntax(x) && x.span().source() == file.source()) {
                starts = starts == null ? declarationStarts(file) : starts;
                out.add(region(starts, x.span().start()));
            }
        }
        return out;
    }

    /**
     * The declarations that begin their line: their starts, in order, and where each ends; and where the
     * last declaration of any kind starts (recovery's too, which a keyword met mid-line makes).
     */
    private record Heads(int[] starts, int[] ends, int lastStart) {
    }

    private static Heads declarationStarts(Ast.File file) {
        List<Span> all = file.decls().stream().map(Ast.Decl::span).sorted(Comparator.comparingInt(Span::start)).toList();
        List<Span> spans = all.stream().filter(SyntaxCascades::startsLine).toList();
        return new Heads(spans.stream().mapToInt(Span::start).toArray(), spans.stream().mapToInt(Span::end).toArray(),
                all.isEmpty() ? -1 : all.get(all.size() - 1).start());
    }

    /**
     * Whether a declaration begins its line: recovery also makes declarations out of a keyword it
     * met mid-line (`@dsl.pipeline`), and those are no firm ground.
     */
    private static boolean startsLine(Span s) {
        String line = s.source().line(s.line());
        return line.substring(0, Math.min(line.length(), s.column() - 1)).isBlank();
    }

    private static boolean isSyntax(Diagnostic d) {
        return d.code().name().startsWith("E00");
    }

    /**
     * Whether a declaration starts at or after {@code from} and at or before {@code to}: an error on a
     * declaration's keyword is the previous declaration left open, and the parser starts afresh there.
     */
    private static boolean declarationBetween(int[] starts, int from, int to) {
        for (int s : starts) {
            if (s >= from && s <= to && s != to) {
                return true;
            }
        }
        return false;
    }

    /**
     * From the start of the last declaration starting before {@code at} to the next one's; an error on
     * a declaration's keyword belongs to the declaration it interrupts.
     */
    private static int[] region(Heads heads, int at) {
        int[] starts = heads.starts();
        int from = 0;
        int to = Integer.MAX_VALUE;
        for (int k = 0; k < starts.length; k++) {
            // after a declaration that ended, when another (recovery's too: `@dsl.pipeline`) starts after it,
            // the error is not that one's: its region runs from the error to the next declaration that starts
            // a line, so that what recovery made of the text between (`@dsl.component` / `def train(...)` is a
            // component `def`) is held too. With none after it, it is the last one left open at the end of the
            // file; on the next one's keyword, the one it interrupts (below).
            if (starts[k] < at && heads.ends()[k] <= at && heads.lastStart() > heads.ends()[k]
                    && (k + 1 == starts.length || starts[k + 1] > at)) {
                return new int[] {at, k + 1 == starts.length ? Integer.MAX_VALUE : starts[k + 1]};
            }
        }
        for (int s : starts) {
            if (s < at) {
                from = s;
            } else {
                to = s;
                break;
            }
        }
        return new int[] {from, to};
    }

    private static boolean inside(List<int[]> regions, int at) {
        return regions.stream().anyMatch(r -> at >= r[0] && at < r[1]);
    }
}
