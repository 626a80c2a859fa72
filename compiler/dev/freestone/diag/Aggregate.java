package dev.freestone.diag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The builtins {@code min max sum mean} on values, as the local engine computes them and the Argo lowering writes
 * them in expr-lang. A list's nulls (a {@code List[T?]} collected by a loop inside an {@code if}) are left out, as
 * SQL's aggregates leave them; {@code min}, {@code max} and {@code mean} of nothing fail, as Python's
 * {@code max([])} and {@code statistics.mean([])} do, and {@code sum} of nothing is 0. Comparisons are Python's and
 * Go's {@code <} (the first of equals is kept, a NaN compares false); an Int sum is exact and fails past int64;
 * a Float sum adds left to right from 0, and the mean divides that sum of float64s by the count.
 */
public final class Aggregate {
    /** A value that cannot be aggregated; the message is for the user. */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private Aggregate() {
    }

    /** {@code f(list)}: a Float when {@code asFloat}, an Int otherwise ({@code mean} always a Float). */
    public static JsonNode ofList(String f, JsonNode list, boolean asFloat) throws Failure {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode v : list) {
            if (!v.isNull()) {
                items.add(v);
            }
        }
        for (JsonNode v : items) {
            if (!v.isNumber()) {
                throw new Failure("`" + f + "` of a list holding " + v + ", which is no number");
            }
        }
        if (items.isEmpty() && !f.equals("sum")) {
            throw new Failure("`" + f + "` of an empty list" + (list.isEmpty() ? "" : " (all its elements are null)"));
        }
        switch (f) {
            case "sum": {
                if (!asFloat) {
                    BigInteger total = BigInteger.ZERO;
                    for (JsonNode v : items) {
                        total = total.add(v.bigIntegerValue());
                    }
                    if (total.bitLength() > 63) {
                        throw new Failure("Int overflow in `sum`: the total is " + total + ", past an Int's 64 bits");
                    }
                    return LongNode.valueOf(total.longValue());
                }
                return DoubleNode.valueOf(floatSum(items));
            }
            case "mean":
                return DoubleNode.valueOf(floatSum(items) / items.size());
            default: {
                JsonNode best = items.get(0);
                for (JsonNode v : items.subList(1, items.size())) {
                    if (f.equals("min") ? less(v, best) : less(best, v)) {
                        best = v;
                    }
                }
                return asFloat ? DoubleNode.valueOf(best.doubleValue()) : LongNode.valueOf(best.longValue());
            }
        }
    }

    /** {@code min(a, b)} or {@code max(a, b)}: a Float when either is. */
    public static JsonNode ofPair(String f, JsonNode a, JsonNode b, boolean asFloat) throws Failure {
        if (!a.isNumber() || !b.isNumber()) {
            throw new Failure("`" + f + "` of " + a + " and " + b + ", which are not both numbers");
        }
        JsonNode best = (f.equals("min") ? less(b, a) : less(a, b)) ? b : a;
        return asFloat ? DoubleNode.valueOf(best.doubleValue()) : LongNode.valueOf(best.longValue());
    }

    private static double floatSum(List<JsonNode> items) {
        double total = 0;
        for (JsonNode v : items) {
            total += v.doubleValue();
        }
        return total;
    }

    private static boolean less(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.longValue() < b.longValue();
        }
        return a.doubleValue() < b.doubleValue();
    }
}
