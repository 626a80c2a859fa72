package dev.freestone.lsp;

import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.lsp4j.FoldingRangeKind;

/**
 * The foldable regions of a file, from its syntax tree: declarations, blocks, option blocks, scripts, calls and
 * list or map literals that take several lines, runs of imports and of comments. A region that ends with a closing
 * bracket stops on the line before it, so the bracket stays visible; one region per first line, the outermost.
 */
final class Folds {
    private Folds() {
    }

    static List<FoldingRange> of(Ast.File file) {
        TreeMap<Integer, FoldingRange> byStart = new TreeMap<>();
        Deque<Ast.Node> todo = new ArrayDeque<>(file.decls());
        while (!todo.isEmpty()) {
            Ast.Node node = todo.pop();
            if (foldable(node)) {
                add(byStart, node.span(), null);
            }
            todo.addAll(Occurrences.children(node));
        }
        runs(byStart, file.decls().stream().filter(d -> d instanceof Ast.Import).map(Ast.Node::span).toList(),
                FoldingRangeKind.Imports);
        runs(byStart, file.comments().stream().filter(c -> c.text().startsWith("//")).map(Ast.Comment::span).toList(),
                FoldingRangeKind.Comment);
        for (Ast.Comment c : file.comments()) {
            if (c.text().startsWith("/*")) {
                add(byStart, c.span(), FoldingRangeKind.Comment);
            }
        }
        return List.copyOf(byStart.values());
    }

    private static boolean foldable(Ast.Node node) {
        return node instanceof Ast.Decl || node instanceof Ast.Block || node instanceof Ast.BlockOption
                || node instanceof Ast.ScriptOption || node instanceof Ast.Call || node instanceof Ast.ListLit
                || node instanceof Ast.MapLit || node instanceof Ast.StringLit s && s.triple();
    }

    /** Spans on consecutive lines, each run of two or more lines one region. */
    private static void runs(TreeMap<Integer, FoldingRange> byStart, List<Span> spans, String kind) {
        int first = -1;
        int last = -1;
        for (Span s : spans) {
            int line = line(s, s.start());
            if (first >= 0 && line == last + 1) {
                last = line(s, s.end());
                continue;
            }
            region(byStart, first, last, kind);
            first = line;
            last = line(s, s.end());
        }
        region(byStart, first, last, kind);
    }

    private static void add(TreeMap<Integer, FoldingRange> byStart, Span span, String kind) {
        int first = line(span, span.start());
        int last = line(span, span.end());
        String text = span.source().text();
        char closing = span.end() > span.start() ? text.charAt(span.end() - 1) : ' ';
        if (closing == '}' || closing == ']' || closing == ')' || closing == '"') {
            last--;
        }
        region(byStart, first, last, kind);
    }

    private static void region(TreeMap<Integer, FoldingRange> byStart, int first, int last, String kind) {
        if (first < 0 || last <= first || byStart.containsKey(first)) {
            return;
        }
        FoldingRange r = new FoldingRange(first, last);
        if (kind != null) {
            r.setKind(kind);
        }
        byStart.put(first, r);
    }

    /** The zero-based line of {@code offset} in the span's file. */
    private static int line(Span span, int offset) {
        return span.source().lineOf(offset) - 1;
    }
}
