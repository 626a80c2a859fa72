package dev.freestone.runtime.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.ir.ValueText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Runtime values and their text forms. A value is JSON: String text, Int a 64-bit integer, Float a
 * double, Bool, Duration a number of seconds, Quantity text (or a number as written), lists arrays,
 * maps and structs objects, an absent optional null, and an artifact
 * {@code {"$artifact": digest, "type": "Model"}}
 * (read by type: a map key {@code $artifact} is not an artifact unless the type says so).
 *
 * <p>Text form (what a step receives in argv or in an environment variable, and what {@code str}
 * gives): String as is; Int in decimal; Float like Python's {@code repr} ({@code 0.1}, {@code 3.0},
 * {@code 1e-05}, {@code 1e+16}): the shortest text that reads back as the same double, so a Python
 * step's {@code float(x)} gets exactly the value; Bool {@code true}/{@code false}; Duration its
 * seconds (an Int when whole: {@code 30s} is {@code 30}, {@code 250ms} is {@code 0.25}); null the
 * empty string; lists, maps and structs compact JSON (floats in it as above).
 *
 * <p>An output parameter is read back from its file (one trailing newline dropped) and parsed by its
 * type: Int, Float, Bool (also {@code True}/{@code False}, as Python prints them) and Duration
 * (seconds) trimmed as literals, String as text, lists, maps and structs as JSON; for {@code T?} an
 * empty file is null.
 */
public final class Values {
    private Values() {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final String ARTIFACT_KEY = "$artifact";

    /** An artifact value: its digest in the artifact store and its type ({@code Model}). */
    public static ObjectNode artifact(String digest, String type) {
        ObjectNode o = NODES.objectNode();
        o.put(ARTIFACT_KEY, digest);
        o.put("type", type);
        return o;
    }

    public static boolean isArtifactValue(JsonNode v) {
        return v != null && v.isObject() && v.size() <= 2 && v.path(ARTIFACT_KEY).isTextual();
    }

    /** True when {@code v} is an artifact value or a list or structure with one inside. */
    static boolean holdsArtifacts(JsonNode v) {
        if (isArtifactValue(v)) {
            return true;
        }
        for (JsonNode x : v) {
            if (holdsArtifacts(x)) {
                return true;
            }
        }
        return false;
    }

    /** The digest of each artifact value in {@code v} (itself, or inside a list or structure), in order; none in null. */
    public static void eachArtifactDigest(JsonNode v, java.util.function.Consumer<String> digest) {
        if (v == null) {
            return;
        }
        if (isArtifactValue(v)) {
            digest.accept(digestOf(v));
            return;
        }
        for (JsonNode x : v) {
            eachArtifactDigest(x, digest);
        }
    }

    /** The digest of an artifact value. */
    public static String digestOf(JsonNode artifact) {
        return artifact.get(ARTIFACT_KEY).textValue();
    }

    /** Whether {@code type} is {@code Artifact}, a built-in artifact type or a user artifact type. */
    static boolean isArtifactType(IrType type, Ir.Program program) {
        return program.isArtifact(type);
    }

    // --- text -------------------------------------------------------------------------------------------

    /** The text form of a value (see the class comment); {@code type} tells Durations apart. */
    public static String text(JsonNode v, IrType type) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "true" : "false";
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (type != null && type.stripOptional().equals(IrType.DURATION) && d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return floatRepr(d);
        }
        return json(v);
    }

    /** Python's {@code repr} of a double (see {@link ValueText#floatRepr}). */
    public static String floatRepr(double d) {
        return ValueText.floatRepr(d);
    }

    /** Compact JSON, object keys in their order, floats as {@link #floatRepr} (NaN and infinities as null). */
    public static String json(JsonNode v) {
        return ValueText.json(v, false);
    }

    /**
     * A loop's item as Argo hands a struct or map item to the body: its keys in Go's order ({@link ValueText#goKeyOrder});
     * other items (scalars, lists, artifacts) as they are.
     */
    static JsonNode loopItem(JsonNode v) {
        return isArtifactValue(v) ? v : ValueText.goKeyOrder(v);
    }

    /** Compact JSON with object keys sorted: the form that is hashed. */
    public static String canonicalJson(JsonNode v) {
        return ValueText.json(v, true);
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    // --- coercion and parsing ---------------------------------------------------------------------------

    /** A value the types do not allow; the message says what was expected. */
    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message);
        }
    }

    /**
     * Makes {@code v} a value of {@code type}: Ints where Floats are expected become Floats, and the
     * shape is checked (a list is an array, a struct has its fields). Unknown type names pass as they are.
     */
    static JsonNode coerce(JsonNode v, IrType type, Ir.Program program) throws BadValue {
        if (v == null || v.isNull() || v.isMissingNode()) {
            if (type.isOptional()) {
                return NullNode.getInstance();
            }
            throw new BadValue("expected " + type + ", got null");
        }
        IrType t = type.stripOptional();
        String s = t.spelling();
        if (isArtifactType(t, program)) {
            if (!isArtifactValue(v)) {
                throw new BadValue("expected an artifact (" + t + "), got " + describe(v));
            }
            return v;
        }
        switch (s) {
            case "String":
            case "Volume": // a claim's name
                if (!v.isTextual()) {
                    throw new BadValue("expected " + s + ", got " + describe(v));
                }
                return v;
            case "Int":
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return LongNode.valueOf(v.longValue());
                }
                if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15) {
                    return LongNode.valueOf((long) v.doubleValue());
                }
                throw new BadValue("expected Int, got " + describe(v));
            case "Float":
            case "Duration":
                if (v.isNumber()) {
                    return s.equals("Float") || !v.isIntegralNumber() ? DoubleNode.valueOf(v.doubleValue())
                            : LongNode.valueOf(v.longValue());
                }
                throw new BadValue("expected " + s + ", got " + describe(v));
            case "Bool":
                if (!v.isBoolean()) {
                    throw new BadValue("expected Bool, got " + describe(v));
                }
                return v;
            case "Quantity":
                if (!v.isTextual() && !v.isNumber()) {
                    throw new BadValue("expected Quantity, got " + describe(v));
                }
                return v;
            default:
                break;
        }
        if (t.isList()) {
            if (!v.isArray()) {
                throw new BadValue("expected " + t + ", got " + describe(v));
            }
            ArrayNode out = NODES.arrayNode();
            for (JsonNode e : v) {
                out.add(coerce(e, t.element(), program));
            }
            return out;
        }
        if (t.isMap()) {
            if (!v.isObject()) {
                throw new BadValue("expected " + t + ", got " + describe(v));
            }
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), coerce(e.getValue(), t.mapValue(), program));
            }
            return out;
        }
        SortedMap<String, List<Ir.Field>> structs = program.structs();
        if (structs != null && structs.containsKey(s)) {
            if (!v.isObject()) {
                throw new BadValue("expected " + s + ", got " + describe(v));
            }
            ObjectNode out = NODES.objectNode();
            for (Ir.Field f : structs.get(s)) {
                JsonNode fv = v.get(f.name());
                try {
                    out.set(f.name(), coerce(fv, f.type(), program));
                } catch (BadValue e) {
                    throw new BadValue("field `" + f.name() + "` of " + s + ": " + e.getMessage());
                }
            }
            return out;
        }
        return v;
    }

    /**
     * The infinity or NaN that {@code text} (spaces around it ignored) names in Go's words, as Argo's {@code float()}
     * reads them, else null. Not for a step's output, which is stored as JSON (no infinity there): an output
     * {@code inf} fails its step.
     */
    static DoubleNode goSpecialFloat(String text) {
        Double d = ValueText.goSpecialFloat(text);
        return d == null ? null : DoubleNode.valueOf(d);
    }

    /** Parses the text a step wrote to an output parameter's file. */
    static JsonNode parseOutput(String raw, IrType type, Ir.Program program) throws BadValue {
        // one "\n", as Argo's executor drops (strings.TrimSuffix(output, "\n")): a "\r" before it stays in a String
        String text = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        if (type.isOptional() && text.isEmpty()) {
            return NullNode.getInstance();
        }
        IrType t = type.stripOptional();
        String trimmed = text.strip();
        switch (t.spelling()) {
            case "String":
                return TextNode.valueOf(text);
            case "Quantity":
                return TextNode.valueOf(trimmed);
            case "Int":
                try {
                    return LongNode.valueOf(Long.parseLong(trimmed));
                } catch (NumberFormatException e) {
                    throw new BadValue("expected an Int, got " + quoteShort(text));
                }
            case "Float":
            case "Duration":
                try {
                    if (!trimmed.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                        throw new NumberFormatException();
                    }
                    return coerce(DoubleNode.valueOf(Double.parseDouble(trimmed)), t, program);
                } catch (NumberFormatException e) {
                    throw new BadValue("expected a " + t + ", got " + quoteShort(text));
                }
            case "Bool":
                if (trimmed.equalsIgnoreCase("true")) {
                    return BooleanNode.TRUE;
                }
                if (trimmed.equalsIgnoreCase("false")) {
                    return BooleanNode.FALSE;
                }
                throw new BadValue("expected a Bool (true or false), got " + quoteShort(text));
            default:
                try {
                    return coerce(JSON.readTree(text), t, program);
                } catch (JsonProcessingException e) {
                    throw new BadValue("expected " + t + " as JSON, got " + quoteShort(text));
                }
        }
    }

    static String describe(JsonNode v) {
        String kind = v.isTextual() ? "a string" : v.isIntegralNumber() ? "an integer" : v.isNumber() ? "a number"
                : v.isBoolean() ? "a boolean" : v.isArray() ? "a list" : v.isObject() ? "an object" : "null";
        return kind + " " + quoteShort(json(v));
    }

    static String quoteShort(String s) {
        String t = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return "`" + t.replace("\n", "\\n") + "`";
    }
}
