package dev.freestone.lsp;

import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.check.Type;
import dev.freestone.diag.Source;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintKind;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The types the file does not write: after a loop variable ({@code for lr: Float in rates}) and a value
 * ({@code n: Int = len(rates)}), the type the checker gave it, as hover says it. Parameters, inputs and outputs
 * have theirs written already; a step's outputs are in its hover.
 */
final class InlayHints {
    private InlayHints() {
    }

    /** The hints of the file whose names lie in {@code range}, in source order. */
    static List<InlayHint> of(Analysis analysis, Range range) {
        Module root = analysis.root();
        Source source = root.source();
        int from = Ranges.offset(source, range.getStart());
        int to = Ranges.offset(source, range.getEnd());
        List<InlayHint> out = new ArrayList<>();
        for (Occurrence o : analysis.occurrences(root)) {
            boolean declaration = o.symbol().span().source() == source && o.span().start() == o.symbol().span().start();
            if (!declaration || o.span().end() < from || o.span().start() > to) {
                continue;
            }
            Type type = o.symbol() instanceof Symbol.LoopVar v ? v.type()
                    : o.symbol() instanceof Symbol.Value v ? v.type() : null;
            if (type != null && !(type instanceof Type.Error)) {
                InlayHint hint = new InlayHint(Ranges.of(o.span()).getEnd(), Either.forLeft(": " + Hovers.display(type)));
                hint.setKind(InlayHintKind.Type);
                out.add(hint);
            }
        }
        return out;
    }
}
