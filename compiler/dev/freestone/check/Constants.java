package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.syntax.Ast;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Evaluates constant expressions (literals, operators over them, lists, maps, struct values) to JSON
 * the way the IR writes constants: durations as seconds, quantities as their text. Returns null for
 * anything that is not constant or whose value is undefined (division by zero, overflow). Runs after
 * typing: struct values are recognized by the symbol the checker gave their call.
 */
final class Constants {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Checked checked;

    Constants(Checked checked) {
        this.checked = checked;
    }

    JsonNode eval(Ast.Expr e) {
        try {
            return evalUnchecked(e);
        } catch (ArithmeticException ex) {
            return null;
        }
    }

    private JsonNode evalUnchecked(Ast.Expr e) {
        if (e instanceof Ast.IntLit i) {
            return JSON.numberNode(i.value());
        }
        if (e instanceof Ast.FloatLit f) {
            return JSON.numberNode(f.value());
        }
        if (e instanceof Ast.BoolLit b) {
            return JSON.booleanNode(b.value());
        }
        if (e instanceof Ast.NullLit) {
            return JSON.nullNode();
        }
        if (e instanceof Ast.DurationLit d) {
            return seconds(d.millis());
        }
        if (e instanceof Ast.QuantityLit q) {
            return JSON.textNode(q.text());
        }
        if (e instanceof Ast.StringLit s) {
            StringBuilder sb = new StringBuilder();
            for (Ast.StringPart p : s.parts()) {
                if (p instanceof Ast.Text t) {
                    sb.append(t.text());
                } else {
                    JsonNode v = eval(((Ast.Interpolation) p).expr());
                    if (v == null) {
                        return null;
                    }
                    sb.append(text(v));
                }
            }
            return JSON.textNode(sb.toString());
        }
        if (e instanceof Ast.ListLit l) {
            ArrayNode a = JSON.arrayNode();
            for (Ast.Expr x : l.elements()) {
                JsonNode v = eval(x);
                if (v == null) {
                    return null;
                }
                a.add(v);
            }
            return a;
        }
        if (e instanceof Ast.MapLit m) {
            ObjectNode o = JSON.objectNode();
            for (Ast.Entry x : m.entries()) {
                JsonNode v = eval(x.value());
                if (v == null) {
                    return null;
                }
                o.set(x.key(), v);
            }
            return o;
        }
        if (e instanceof Ast.Unary u) {
            JsonNode v = eval(u.operand());
            if (v == null) {
                return null;
            }
            if (u.op() == Ast.UnaryOp.NOT) {
                return v.isBoolean() ? JSON.booleanNode(!v.booleanValue()) : null;
            }
            if (v.isIntegralNumber()) {
                return JSON.numberNode(Math.negateExact(v.longValue()));
            }
            return v.isNumber() ? JSON.numberNode(-v.doubleValue()) : null;
        }
        if (e instanceof Ast.Binary b) {
            return binary(b);
        }
        if (e instanceof Ast.Call c && checked.symbolOf(c) instanceof Symbol.StructDef def) {
            ObjectNode o = JSON.objectNode();
            for (Map.Entry<String, Type> f : def.type().fields().entrySet()) {
                Ast.Expr given = null;
                for (Ast.Arg a : c.args()) {
                    if (a.name() != null && a.name().name().equals(f.getKey())) {
                        given = a.value();
                        break;
                    }
                }
                JsonNode v = given == null ? JSON.nullNode() : eval(given);
                if (v == null) {
                    return null;
                }
                o.set(f.getKey(), coerce(v, f.getValue()));
            }
            return o;
        }
        if (e instanceof Ast.Call c && checked.symbolOf(c) instanceof Symbol.Builtin bi && Exprs.AGGREGATES.contains(bi.name())) {
            return aggregate(bi.name(), c, Type.FLOAT.equals(checked.types.get(c)));
        }
        if (e instanceof Ast.Call c && checked.symbolOf(c) instanceof Symbol.Builtin bi && c.args().size() == 1) {
            JsonNode v = eval(c.args().get(0).value());
            if (v == null) {
                return null;
            }
            return switch (bi.name()) {
                case "len" -> v.isTextual() ? JSON.numberNode((long) v.textValue().codePointCount(0, v.textValue().length()))
                        : v.isContainerNode() ? JSON.numberNode((long) v.size()) : null;
                case "pvc" -> v; // the claim's name
                case "str" -> JSON.textNode(text(v));
                case "json" -> JSON.textNode(v.toString());
                case "float" -> v.isNumber() ? JSON.numberNode(v.doubleValue()) : null;
                case "int" -> v.isIntegralNumber() ? v : v.isNumber() ? JSON.numberNode((long) v.doubleValue()) : null;
                default -> null;
            };
        }
        return null;
    }

    /**
     * A constant {@code min max sum mean}, computed as the engine computes it ({@link dev.freestone.diag.Aggregate});
     * what fails there (an empty list, an Int sum past int64, an element that is no number) is left to run time.
     */
    private JsonNode aggregate(String f, Ast.Call c, boolean asFloat) {
        List<JsonNode> values = new ArrayList<>();
        for (Ast.Arg a : c.args()) {
            JsonNode v = eval(a.value());
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        try {
            return values.size() == 2 ? dev.freestone.diag.Aggregate.ofPair(f, values.get(0), values.get(1), asFloat)
                    : values.size() == 1 && values.get(0).isArray() ? dev.freestone.diag.Aggregate.ofList(f, values.get(0), asFloat)
                    : null;
        } catch (dev.freestone.diag.Aggregate.Failure leftToRunTime) {
            return null;
        }
    }


    private JsonNode binary(Ast.Binary b) {
        JsonNode l = eval(b.left());
        JsonNode r = eval(b.right());
        if (l == null || r == null) {
            return null;
        }
        switch (b.op()) {
            case AND, OR -> {
                if (!l.isBoolean() || !r.isBoolean()) {
                    return null;
                }
                return JSON.booleanNode(b.op() == Ast.BinaryOp.AND ? l.booleanValue() && r.booleanValue()
                        : l.booleanValue() || r.booleanValue());
            }
            case EQ, NE -> {
                boolean eq = l.isNumber() && r.isNumber() ? l.doubleValue() == r.doubleValue() : l.equals(r);
                return JSON.booleanNode(b.op() == Ast.BinaryOp.EQ ? eq : !eq);
            }
            case LT, LE, GT, GE -> {
                int cmp;
                if (l.isNumber() && r.isNumber()) {
                    cmp = Double.compare(l.doubleValue(), r.doubleValue());
                } else if (l.isTextual() && r.isTextual()) {
                    cmp = l.textValue().compareTo(r.textValue());
                } else {
                    return null;
                }
                return JSON.booleanNode(switch (b.op()) {
                    case LT -> cmp < 0;
                    case LE -> cmp <= 0;
                    case GT -> cmp > 0;
                    default -> cmp >= 0;
                });
            }
            default -> {
                if (b.op() == Ast.BinaryOp.ADD && l.isTextual() && r.isTextual()) {
                    return JSON.textNode(l.textValue() + r.textValue());
                }
                if (b.op() == Ast.BinaryOp.ADD && l.isArray() && r.isArray()) {
                    ArrayNode a = JSON.arrayNode();
                    a.addAll((ArrayNode) l);
                    a.addAll((ArrayNode) r);
                    return a;
                }
                if (!l.isNumber() || !r.isNumber()) {
                    return null;
                }
                if (l.isIntegralNumber() && r.isIntegralNumber()) {
                    long x = l.longValue();
                    long y = r.longValue();
                    return JSON.numberNode(switch (b.op()) {
                        case ADD -> Math.addExact(x, y);
                        case SUB -> Math.subtractExact(x, y);
                        case MUL -> Math.multiplyExact(x, y);
                        case DIV -> x / y;
                        default -> x % y;
                    });
                }
                double x = l.doubleValue();
                double y = r.doubleValue();
                if ((b.op() == Ast.BinaryOp.DIV || b.op() == Ast.BinaryOp.MOD) && y == 0) {
                    return null;
                }
                return JSON.numberNode(switch (b.op()) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    default -> x % y;
                });
            }
        }
    }

    /** A constant as the declared type wants it: Ints become Floats where a Float is expected. */
    static JsonNode coerce(JsonNode v, Type t) {
        Type s = Type.strip(t);
        if (v.isIntegralNumber() && s.equals(Type.FLOAT)) {
            return JSON.numberNode(v.doubleValue());
        }
        if (v.isArray() && s instanceof Type.ListOf l) {
            ArrayNode a = JSON.arrayNode();
            v.forEach(x -> a.add(coerce(x, l.element())));
            return a;
        }
        if (v.isObject() && (s instanceof Type.MapOf || s instanceof Type.Struct)) {
            ObjectNode o = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Type ft = s instanceof Type.MapOf m ? m.value() : ((Type.Struct) s).fields().get(e.getKey());
                o.set(e.getKey(), ft == null ? e.getValue() : coerce(e.getValue(), ft));
            }
            return o;
        }
        return v;
    }

    static JsonNode seconds(long millis) {
        return millis % 1000 == 0 ? JSON.numberNode(millis / 1000) : JSON.numberNode(millis / 1000.0);
    }

    /** How {@code str} and interpolation show a value. */
    static String text(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isFloatingPointNumber()) {
            double d = v.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e16) {
                return BigDecimal.valueOf(d).setScale(1).toPlainString();
            }
            return Double.toString(d);
        }
        return v.toString();
    }
}
