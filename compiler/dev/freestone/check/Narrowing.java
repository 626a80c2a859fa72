package dev.freestone.check;

import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which values the tests of an {@code if} prove not null in one of its blocks: inside {@code if x != null { ... }}
 * a value declared {@code T?} is a {@code T}. A test proves only what its value says, nothing guessed:
 * <ul>
 *   <li>{@code X != null} (or {@code null != X}) holding proves X, and so does {@code X == null} failing;</li>
 *   <li>{@code a && b} holding proves what each of {@code a}, {@code b} proves holding; {@code a || b} failing
 *       proves what each proves failing; {@code !a} ({@code not a}) swaps holding and failing;</li>
 *   <li>nothing else proves anything: {@code a || b} holding (either may be the one), {@code a && b} failing.</li>
 * </ul>
 * Branch k of an {@code if} runs when its own test holds and every earlier one failed; the {@code else} when all
 * failed. Within a test, the right side of {@code a && b} is typed knowing that {@code a} held, and of {@code a || b}
 * that it failed ({@code if n != null && n > 0}): both backends evaluate it only then. X is a path: a name (a parameter, a named value, a step, a loop variable) and any {@code .field}s after
 * it. An index ({@code xs[0]}) or a call is no path. Both backends evaluate the test on the value the branch then
 * reads (docs/language.md, "Conditions and `oneof`"), so the narrowed type is what a step gets.
 */
final class Narrowing {
    private Narrowing() {
    }

    /** A path by what it denotes: {@code root} is what its first name resolves to, {@code fields} the names after it. */
    record Path(Object root, List<String> fields) {
    }

    /** Whether {@code e} is a name or a field path, which a test can narrow. */
    static boolean isPath(Ast.Expr e) {
        return e instanceof Ast.Name || e instanceof Ast.Member m && isPath(m.target());
    }

    /** The path {@code e} denotes, its first name resolved by {@code rootOf}; null for no path or an unknown name. */
    static Path path(Ast.Expr e, Function<Ast.Name, Object> rootOf) {
        List<String> fields = new ArrayList<>();
        while (e instanceof Ast.Member m) {
            fields.add(0, m.name().name());
            e = m.target();
        }
        Object root = e instanceof Ast.Name n ? rootOf.apply(n) : null;
        return root == null ? null : new Path(root, List.copyOf(fields));
    }

    /** The expressions proven not null in block {@code block} of {@code i} (its branches by index, then the `else`). */
    static List<Ast.Expr> provenIn(Ast.If i, int block) {
        List<Ast.Expr> out = new ArrayList<>();
        for (int k = 0; k < Math.min(block, i.branches().size()); k++) {
            proven(i.branches().get(k).condition(), false, out);
        }
        if (block < i.branches().size()) {
            proven(i.branches().get(block).condition(), true, out);
        }
        return out;
    }

    /** Adds to {@code out} the paths that {@code test} proves not null when it {@code holds} (or fails). */
    static void proven(Ast.Expr test, boolean holds, List<Ast.Expr> out) {
        if (test instanceof Ast.Unary u && u.op() == Ast.UnaryOp.NOT) {
            proven(u.operand(), !holds, out);
        } else if (test instanceof Ast.Binary b) {
            if (b.op() == (holds ? Ast.BinaryOp.NE : Ast.BinaryOp.EQ)) {
                if (b.right() instanceof Ast.NullLit && isPath(b.left())) {
                    out.add(b.left());
                } else if (b.left() instanceof Ast.NullLit && isPath(b.right())) {
                    out.add(b.right());
                }
            } else if (b.op() == (holds ? Ast.BinaryOp.AND : Ast.BinaryOp.OR)) {
                proven(b.left(), holds, out);
                proven(b.right(), holds, out);
            }
        }
    }
}
