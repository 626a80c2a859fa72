package dev.freestone.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text of a value as a step sees it, shared by the local engine and the Argo lowering so that a constant (a
 * parameter's default, a literal argument) is the same text on both: Floats as Python's {@code repr} ({@code 3.0},
 * {@code 1e-05}, {@code 1e+16}), not Java's ({@code 1.0E-5}), also inside JSON.
 */
public final class ValueText {
    private ValueText() {
    }

    /**
     * Python's {@code repr} of a double: the shortest round-tripping digits, exponent outside [1e-4, 1e16); an infinity
     * or NaN as Go writes it ({@code +Inf}, {@code -Inf}, {@code NaN}, Python's {@code float} reads them), since Argo
     * computes Floats in Go and has no way to write Python's {@code inf}.
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        return shortest(d, -4, 16, true);
    }

    /**
     * A finite, non-zero double in its shortest round-tripping digits: plain when its decimal exponent lies in
     * [{@code plainFrom}, {@code plainBelow}) (with {@code .0} after a whole number when {@code pointZero}), else
     * {@code d.ddde±XX} with at least two exponent digits. Python's {@code repr} is (-4, 16, true); Go's {@code %v}
     * (which the Argo tests model) is (-4, 6, false).
     */
    public static String shortest(double d, int plainFrom, int plainBelow, boolean pointZero) {
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= plainFrom && exponent < plainBelow) {
            String plain = shortest.abs().toPlainString();
            return sign + (!pointZero || plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int e = Math.abs(exponent);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" + e : Integer.toString(e));
    }

    /** Go's {@code strconv.ParseFloat} words: {@code [+-]inf}, {@code [+-]infinity}, {@code nan} (no sign), any case. */
    private static final Pattern GO_SPECIAL_FLOAT = Pattern.compile("(?i)[+-]?inf(inity)?|nan");

    /** The infinity or NaN that {@code text} (spaces around it ignored) names in Go's words, else null. */
    public static Double goSpecialFloat(String text) {
        String t = text.strip();
        if (!GO_SPECIAL_FLOAT.matcher(t).matches()) {
            return null;
        }
        return t.equalsIgnoreCase("nan") ? Double.NaN : t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /**
     * An object with its keys in the order Go's {@code json.Marshal} writes a {@code map[string]Item}: the byte order of
     * their UTF-8, which is code point order (Java's {@code compareTo} orders UTF-16 units). The values, nested objects
     * included, stay as they are. Argo writes a struct or map loop item so ({@code processItem} in
     * {@code workflow/controller/dag/expansion.go}, v4): the engine hands the body the same text. Anything else as it is.
     */
    public static JsonNode goKeyOrder(JsonNode v) {
        if (!v.isObject()) {
            return v;
        }
        List<String> keys = new ArrayList<>();
        v.fieldNames().forEachRemaining(keys::add);
        keys.sort((a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        keys.forEach(k -> out.set(k, v.get(k)));
        return out;
    }

    /** Compact JSON, object keys in their order (sorted when {@code sorted}), floats as {@link #floatRepr} (NaN and infinities as null). */
    public static String json(JsonNode v, boolean sorted) {
        StringBuilder sb = new StringBuilder();
        writeJson(v, sb, sorted);
        return sb.toString();
    }

    private static void writeJson(JsonNode v, StringBuilder sb, boolean sorted) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            sb.append("null");
        } else if (v.isTextual()) {
            sb.append(TextNode.valueOf(v.textValue()));
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue());
        } else if (v.isIntegralNumber()) {
            sb.append(v.bigIntegerValue());
        } else if (v.isNumber()) {
            double d = v.doubleValue();
            sb.append(Double.isFinite(d) ? floatRepr(d) : "null");
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeJson(v.get(i), sb, sorted);
            }
            sb.append(']');
        } else if (v.isObject()) {
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            if (sorted) {
                keys.sort(null);
            }
            sb.append('{');
            boolean first = true;
            for (String k : keys) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(TextNode.valueOf(k)).append(':');
                writeJson(v.get(k), sb, sorted);
            }
            sb.append('}');
        } else {
            sb.append(TextNode.valueOf(v.asText()));
        }
    }

    private static final long[] DURATION_UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String[] DURATION_UNITS = {"d", "h", "m", "s", "ms"};

    /**
     * A Duration of {@code seconds} as its literal, in the largest unit it is a whole number of: {@code 600} is
     * {@code 10m}, {@code 5400} is {@code 90m} (a literal has one unit), {@code 0.25} is {@code 250ms}.
     */
    public static String durationLiteral(double seconds) {
        long millis = Math.round(seconds * 1000);
        if (millis == 0) {
            return "0s";
        }
        String sign = millis < 0 ? "-" : "";
        long m = Math.abs(millis);
        int u = 0;
        while (m % DURATION_UNIT_MILLIS[u] != 0) {
            u++;
        }
        return sign + m / DURATION_UNIT_MILLIS[u] + DURATION_UNITS[u];
    }
}
