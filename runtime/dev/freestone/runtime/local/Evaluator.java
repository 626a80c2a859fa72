package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.freestone.diag.Aggregate;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link Ir.Expr} on real values in a {@link Scope}.
 *
 * <p>Semantics: Int arithmetic is 64-bit and fails on overflow; {@code /} and {@code %} of two Ints
 * floor (as in Python, which most steps are written in); division by zero fails; Int and Float mix
 * as Float; {@code +} joins Strings and Lists; comparisons order numbers and Strings, equality is
 * deep (1 == 1.0); {@code and}/{@code or} short-circuit. Builtins: {@code len str int float json
 * oneof min max sum mean} (see {@link Aggregate}). Reading an output of a task that was skipped (a branch not taken) gives null where
 * the reader tolerates it ({@code oneof}, a cond's export); elsewhere it is an error.
 */
final class Evaluator {
    /** An expression that cannot be evaluated on these values; the message is for the user. */
    static final class EvalError extends Exception {
        EvalError(String message) {
            super(message);
        }
    }

    /** A read of a skipped task's output. */
    static final class SkippedRead extends Exception {
        SkippedRead(String node) {
            super("`" + node + "` was skipped (its branch was not taken)");
        }
    }

    private final Ir.Program program;
    private final String runId;
    private final String runName;

    Evaluator(Ir.Program program, String runId, String runName) {
        this.program = program;
        this.runId = runId;
        this.runName = runName;
    }

    /** Evaluates; a read of a skipped output is an error. */
    JsonNode eval(Ir.Expr e, Scope scope) throws EvalError {
        try {
            return evalOrSkip(e, scope);
        } catch (SkippedRead s) {
            throw new EvalError("reads an output of " + s.getMessage());
        }
    }

    /** Evaluates; null when the expression reads a skipped task's output (a cond export of a branch not taken). */
    JsonNode evalOrNull(Ir.Expr e, Scope scope) throws EvalError {
        try {
            return evalOrSkip(e, scope);
        } catch (SkippedRead s) {
            return NullNode.getInstance();
        }
    }

    private JsonNode evalOrSkip(Ir.Expr e, Scope scope) throws EvalError, SkippedRead {
        JsonNode v = evalRaw(e, scope);
        // Int widens to Float: keep the value's kind in step with its static type
        if (v.isIntegralNumber() && e.type() != null && e.type().stripOptional().equals(IrType.FLOAT)) {
            return DoubleNode.valueOf(v.doubleValue());
        }
        return v;
    }

    private JsonNode evalRaw(Ir.Expr e, Scope scope) throws EvalError, SkippedRead {
        if (e instanceof Ir.Const c) {
            JsonNode v = c.value() == null ? NullNode.getInstance() : c.value();
            try {
                return c.type() == null ? v : Values.coerce(v, c.type(), program);
            } catch (Values.BadValue b) {
                return v;
            }
        }
        if (e instanceof Ir.ParamRef p) {
            if (!scope.hasParam(p.name())) {
                throw new EvalError("unknown parameter `" + p.name() + "`");
            }
            JsonNode v = scope.param(p.name());
            return v == null ? NullNode.getInstance() : v;
        }
        if (e instanceof Ir.OutputRef o) {
            return output(o, scope);
        }
        if (e instanceof Ir.ItemRef i) {
            if (!scope.inLoop(i.loop())) {
                throw new EvalError("the item of loop `" + i.loop() + "` is read outside it");
            }
            return scope.item(i.loop());
        }
        if (e instanceof Ir.RunRef r) {
            return switch (r.field()) {
                case "id" -> TextNode.valueOf(runId);
                case "name" -> TextNode.valueOf(runName);
                case "status" -> {
                    String s = scope.runStatus();
                    if (s == null) {
                        throw new EvalError("`run.status` is only known in the exit handler (`finally`)");
                    }
                    yield TextNode.valueOf(s);
                }
                case "failures" -> {
                    JsonNode f = scope.runFailures();
                    if (f == null) {
                        throw new EvalError("`run.failures` is only known in the exit handler (`finally`)");
                    }
                    yield f;
                }
                default -> throw new EvalError("unknown run field `run." + r.field() + "`");
            };
        }
        if (e instanceof Ir.FieldOf f) {
            JsonNode t = evalOrSkip(f.target(), scope);
            if (!t.isObject()) {
                throw new EvalError("`." + f.field() + "` of " + Values.describe(t));
            }
            JsonNode v = t.get(f.field());
            if (v == null) {
                throw new EvalError("no field or key `" + f.field() + "` in " + Values.describe(t));
            }
            return v;
        }
        if (e instanceof Ir.IndexOf ix) {
            JsonNode t = evalOrSkip(ix.target(), scope);
            JsonNode i = evalOrSkip(ix.index(), scope);
            if (t.isArray()) {
                if (!i.isIntegralNumber()) {
                    throw new EvalError("a list index must be an Int, got " + Values.describe(i));
                }
                long k = i.longValue();
                if (k < 0 || k >= t.size()) {
                    throw new EvalError("index " + k + " is out of range for a list of " + t.size());
                }
                return t.get((int) k);
            }
            if (t.isObject()) {
                JsonNode v = t.get(i.asText());
                if (v == null) {
                    throw new EvalError("no key " + Values.quoteShort(i.asText()) + " in the map");
                }
                return v;
            }
            throw new EvalError("cannot index " + Values.describe(t));
        }
        if (e instanceof Ir.Unary u) {
            JsonNode v = evalOrSkip(u.operand(), scope);
            switch (u.op()) {
                case "-":
                    if (v.isIntegralNumber()) {
                        return LongNode.valueOf(Math.negateExact(v.longValue()));
                    }
                    if (v.isNumber()) {
                        return DoubleNode.valueOf(-v.doubleValue());
                    }
                    throw new EvalError("`-` of " + Values.describe(v));
                case "not":
                case "!":
                    return BooleanNode.valueOf(!bool(v, "not"));
                default:
                    throw new EvalError("unknown operator `" + u.op() + "`");
            }
        }
        if (e instanceof Ir.Binary b) {
            return binary(b, scope);
        }
        if (e instanceof Ir.Builtin call) {
            return builtin(call, scope);
        }
        if (e instanceof Ir.Concat c) {
            StringBuilder sb = new StringBuilder();
            for (Ir.Expr part : c.parts()) {
                sb.append(Values.text(evalOrSkip(part, scope), part.type()));
            }
            return TextNode.valueOf(sb.toString());
        }
        if (e instanceof Ir.ListOf l) {
            ArrayNode out = Values.NODES.arrayNode();
            for (Ir.Expr x : l.elements()) {
                out.add(evalOrSkip(x, scope));
            }
            return out;
        }
        if (e instanceof Ir.MapOf m) {
            ObjectNode out = Values.NODES.objectNode();
            for (int k = 0; k < m.keys().size(); k++) {
                out.set(m.keys().get(k), evalOrSkip(m.values().get(k), scope));
            }
            return out;
        }
        throw new EvalError("unknown expression " + e.getClass().getSimpleName());
    }

    private JsonNode output(Ir.OutputRef o, Scope scope) throws EvalError, SkippedRead {
        Scope.NodeResult r = scope.result(o.node());
        if (r == null) {
            throw new EvalError("`" + o.node() + "` has not run here");
        }
        if (r.state() == TaskState.SKIPPED) {
            throw new SkippedRead(o.node());
        }
        if (!r.state().letsDependentsRun()) {
            throw new EvalError("`" + o.node() + "." + o.output() + "` is not available: `" + o.node() + "` "
                    + r.state().said());
        }
        JsonNode v = r.outputs().get(o.output());
        if (v == null) {
            throw new EvalError("`" + o.node() + "` has no output `" + o.output() + "`");
        }
        return v;
    }

    private static boolean bool(JsonNode v, String op) throws EvalError {
        if (!v.isBoolean()) {
            throw new EvalError("`" + op + "` needs a Bool, got " + Values.describe(v));
        }
        return v.booleanValue();
    }

    private JsonNode binary(Ir.Binary b, Scope scope) throws EvalError, SkippedRead {
        String op = b.op();
        if (op.equals("and") || op.equals("&&")) {
            return BooleanNode.valueOf(bool(evalOrSkip(b.left(), scope), op) && bool(evalOrSkip(b.right(), scope), op));
        }
        if (op.equals("or") || op.equals("||")) {
            return BooleanNode.valueOf(bool(evalOrSkip(b.left(), scope), op) || bool(evalOrSkip(b.right(), scope), op));
        }
        JsonNode l = evalOrSkip(b.left(), scope);
        JsonNode r = evalOrSkip(b.right(), scope);
        switch (op) {
            case "==":
                return BooleanNode.valueOf(same(l, r));
            case "!=":
                return BooleanNode.valueOf(!same(l, r));
            case "<", "<=", ">", ">=": {
                int c = compare(l, r, op);
                return BooleanNode.valueOf(switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                });
            }
            case "+":
                if (l.isTextual() && r.isTextual()) {
                    return TextNode.valueOf(l.textValue() + r.textValue());
                }
                if (l.isArray() && r.isArray()) {
                    ArrayNode out = Values.NODES.arrayNode();
                    out.addAll((ArrayNode) l);
                    out.addAll((ArrayNode) r);
                    return out;
                }
                return arithmetic(op, l, r);
            case "-", "*", "/", "%":
                return arithmetic(op, l, r);
            default:
                throw new EvalError("unknown operator `" + op + "`");
        }
    }

    private static JsonNode arithmetic(String op, JsonNode l, JsonNode r) throws EvalError {
        if (!l.isNumber() || !r.isNumber()) {
            throw new EvalError("`" + op + "` of " + Values.describe(l) + " and " + Values.describe(r));
        }
        try {
            if (l.isIntegralNumber() && r.isIntegralNumber()) {
                long a = l.longValue();
                long c = r.longValue();
                if ((op.equals("/") || op.equals("%")) && c == 0) {
                    throw new EvalError("division by zero");
                }
                return LongNode.valueOf(switch (op) {
                    case "+" -> Math.addExact(a, c);
                    case "-" -> Math.subtractExact(a, c);
                    case "*" -> Math.multiplyExact(a, c);
                    case "/" -> Math.floorDiv(a, c);
                    default -> Math.floorMod(a, c);
                });
            }
        } catch (ArithmeticException overflow) {
            throw new EvalError("Int overflow in `" + op + "`");
        }
        double a = l.doubleValue();
        double c = r.doubleValue();
        if ((op.equals("/") || op.equals("%")) && c == 0) {
            throw new EvalError("division by zero");
        }
        return DoubleNode.valueOf(switch (op) {
            case "+" -> a + c;
            case "-" -> a - c;
            case "*" -> a * c;
            case "/" -> a / c;
            default -> a - c * Math.floor(a / c);
        });
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return a.bigIntegerValue().equals(b.bigIntegerValue());
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode o = b.get(e.getKey());
                if (o == null || !same(e.getValue(), o)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static int compare(JsonNode l, JsonNode r, String op) throws EvalError {
        if (l.isNumber() && r.isNumber()) {
            if (l.isIntegralNumber() && r.isIntegralNumber()) {
                return Long.compare(l.longValue(), r.longValue());
            }
            return Double.compare(l.doubleValue(), r.doubleValue());
        }
        if (l.isTextual() && r.isTextual()) {
            return l.textValue().compareTo(r.textValue());
        }
        throw new EvalError("`" + op + "` between " + Values.describe(l) + " and " + Values.describe(r));
    }

    private JsonNode builtin(Ir.Builtin call, Scope scope) throws EvalError, SkippedRead {
        String f = call.function();
        List<Ir.Expr> args = call.args();
        if (f.equals("oneof")) {
            // the first argument whose branch ran; reading a skipped branch's output is expected here
            for (Ir.Expr a : args) {
                JsonNode v = evalOrNull(a, scope);
                if (!v.isNull()) {
                    return v;
                }
            }
            return NullNode.getInstance();
        }
        List<JsonNode> vs = new ArrayList<>();
        for (Ir.Expr a : args) {
            vs.add(evalOrSkip(a, scope));
        }
        switch (f) {
            case "len": {
                JsonNode v = one(f, vs);
                if (v.isTextual()) {
                    return LongNode.valueOf(v.textValue().codePointCount(0, v.textValue().length()));
                }
                if (v.isArray() || v.isObject()) {
                    return LongNode.valueOf(v.size());
                }
                throw new EvalError("`len` of " + Values.describe(v));
            }
            case "pvc":
                return vs.get(0); // the claim's name; the step that mounts it sees its folder
            case "str":
                return TextNode.valueOf(Values.text(one(f, vs), args.get(0).type()));
            case "json":
                return TextNode.valueOf(Values.json(one(f, vs)));
            case "int": {
                JsonNode v = one(f, vs);
                if (v.isIntegralNumber()) {
                    return LongNode.valueOf(v.longValue());
                }
                if (v.isNumber()) {
                    double d = v.doubleValue();
                    if (!Double.isFinite(d) || Math.abs(d) >= 9.2e18) {
                        throw new EvalError("`int` of " + Values.describe(v) + " is out of range");
                    }
                    return LongNode.valueOf((long) d);
                }
                if (v.isBoolean()) {
                    return LongNode.valueOf(v.booleanValue() ? 1 : 0);
                }
                if (v.isTextual()) {
                    try {
                        return LongNode.valueOf(Long.parseLong(v.textValue().strip()));
                    } catch (NumberFormatException x) {
                        throw new EvalError("`int` of " + Values.describe(v) + ": not an integer");
                    }
                }
                throw new EvalError("`int` of " + Values.describe(v));
            }
            case "float": {
                JsonNode v = one(f, vs);
                if (v.isNumber()) {
                    return DoubleNode.valueOf(v.doubleValue());
                }
                if (v.isTextual() && Values.goSpecialFloat(v.textValue()) != null) {
                    return Values.goSpecialFloat(v.textValue());
                }
                if (v.isTextual()) {
                    try {
                        return Values.parseOutput(v.textValue(), IrType.FLOAT, program);
                    } catch (Values.BadValue x) {
                        throw new EvalError("`float` of " + Values.describe(v) + ": not a number");
                    }
                }
                throw new EvalError("`float` of " + Values.describe(v));
            }
            case "min", "max", "sum", "mean":
                try {
                    boolean asFloat = call.type().stripOptional().equals(IrType.FLOAT);
                    return vs.size() == 2 ? Aggregate.ofPair(f, vs.get(0), vs.get(1), asFloat)
                            : Aggregate.ofList(f, one(f, vs), asFloat);
                } catch (Aggregate.Failure x) {
                    throw new EvalError(x.getMessage());
                }
            default:
                throw new EvalError("the local engine does not know the builtin `" + f + "`");
        }
    }

    private static JsonNode one(String f, List<JsonNode> vs) throws EvalError {
        if (vs.size() != 1) {
            throw new EvalError("`" + f + "` takes one argument, got " + vs.size());
        }
        return vs.get(0);
    }
}
