package dev.freestone.lower.argo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * expr-lang code with its conditional parts lifted to the top: Argo evaluates an expression that holds
 * {@code ?} and {@code :} by first evaluating the text before the first {@code ?} on its own, so a
 * ternary is only safe as the outermost operator. {@code f(c ? a : b)} is kept as {@code c ? f(a) : f(b)}.
 */
sealed interface ExprCode permits ExprCode.Leaf, ExprCode.Choice, ExprCode.None {

    record Leaf(String text) implements ExprCode {
    }

    record Choice(String guard, ExprCode then, ExprCode otherwise) implements ExprCode {
    }

    /**
     * No value: a {@code oneof} none of whose branches ran. Code built on it is no value either, and it is
     * written as the empty text: an operation on {@code ''} ({@code '' > 1.0}) would not even compile in
     * expr-lang, whose checker refuses mismatched operand types, though that branch never runs.
     */
    record None() implements ExprCode {
    }

    ExprCode NONE = new None();

    static ExprCode leaf(String text) {
        return new Leaf(text);
    }

    default ExprCode map(Function<String, String> f) {
        if (this instanceof None) {
            return this;
        }
        if (this instanceof Leaf l) {
            return new Leaf(f.apply(l.text()));
        }
        Choice c = (Choice) this;
        return new Choice(c.guard(), c.then().map(f), c.otherwise().map(f));
    }

    /** This code with no value written as {@code text} (a guard that reads no value is {@code false}). */
    default ExprCode noneAs(String text) {
        if (this instanceof None) {
            return new Leaf(text);
        }
        if (this instanceof Choice c) {
            return new Choice(c.guard(), c.then().noneAs(text), c.otherwise().noneAs(text));
        }
        return this;
    }

    /** Combines several codes with {@code f}, distributing over their choices. */
    static ExprCode combine(List<ExprCode> parts, Function<List<String>, String> f) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Choice c) {
                int at = i;
                List<ExprCode> a = new ArrayList<>(parts);
                a.set(at, c.then());
                List<ExprCode> b = new ArrayList<>(parts);
                b.set(at, c.otherwise());
                return new Choice(c.guard(), combine(a, f), combine(b, f));
            }
        }
        List<String> texts = new ArrayList<>();
        for (ExprCode p : parts) {
            if (p instanceof None) {
                return NONE;
            }
        }
        for (ExprCode p : parts) {
            texts.add(((Leaf) p).text());
        }
        return new Leaf(f.apply(texts));
    }

    default String render() {
        if (this instanceof None) {
            return "''";
        }
        if (this instanceof Leaf l) {
            return l.text();
        }
        Choice c = (Choice) this;
        return c.guard() + " ? " + paren(c.then()) + " : " + paren(c.otherwise());
    }

    private static String paren(ExprCode c) {
        return c instanceof Choice ? "(" + c.render() + ")" : c.render();
    }
}
