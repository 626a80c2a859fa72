package dev.freestone.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An evaluator of the part of Argo's expression language (expr-lang with Argo's {@code sprig} map) that the lowering
 * uses to write numbers as text, so a test can run the code the lowering wrote instead of reading it. It knows
 * {@code 'text'} literals with {@code \\uXXXX} escapes, integers, names from a given environment, {@code #} inside a
 * closure, list and map literals, {@code in} of a list, indexing and member access (of maps), {@code + - * / % >= <= < > == != && ||}, {@code nil} ({@code /} always a float64, {@code %} of integers
 * only), {@code map}, {@code filter}, {@code sortBy} (stable), {@code groupBy}, {@code last}, {@code len}, {@code min}, {@code max} (of numbers or of an array), {@code sum} (of an array), {@code floor}, {@code round}, {@code int}, {@code float} (of a text: Go's Atoi and ParseFloat, no spaces), Argo's
 * {@code asInt}, {@code asFloat}, {@code toJson} (Go's json.Marshal) and {@code jsonpath(text, '$')} (every JSON number a float64, as Go reads it), and the sprig functions {@code trim}, {@code toString} (Go's {@code %v}: shortest digits, an
 * exponent below 1e-4 and from 1e+06 on, {@code +Inf}, {@code NaN}), {@code ternary}, {@code hasPrefix},
 * {@code trimPrefix}, {@code replace}, {@code contains}, {@code toJson} (empty for +Inf and NaN), {@code default}, {@code dig}, {@code splitList}, {@code atoi}, {@code substr}, {@code repeat},
 * {@code regexMatch}, {@code regexFind}, {@code regexReplaceAll} and {@code join}, with their Go argument orders and their panics (a slice out of range, a
 * negative repeat) as exceptions. Values: String, Long, Double, Boolean, List, Map.
 */
public final class ExprSubset {
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private final String src;
    private int at;
    private final Map<String, Object> env;

    private ExprSubset(String src, Map<String, Object> env) {
        this.src = src;
        this.env = env;
    }

    /** The value of {@code expression} with the names of {@code env}. */
    public static Object eval(String expression, Map<String, Object> env) {
        ExprSubset p = new ExprSubset(expression, env);
        Node n = p.or();
        p.space();
        if (p.at != expression.length()) {
            throw new IllegalArgumentException("unexpected text at " + p.at + ": " + expression.substring(p.at));
        }
        return n.eval(null);
    }

    /** Go's {@code fmt.Sprintf("%v", d)} of a float64. */
    public static String goFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        return dev.freestone.ir.ValueText.shortest(d, -4, 6, false);
    }

    private interface Node {
        Object eval(Object hash);
    }

    private Node or() {
        Node l = and();
        while (eat("||")) {
            Node a = l;
            Node b = and();
            l = h -> (Boolean) a.eval(h) || (Boolean) b.eval(h);
        }
        return l;
    }

    private Node and() {
        Node l = compare();
        while (eat("&&")) {
            Node a = l;
            Node b = compare();
            l = h -> (Boolean) a.eval(h) && (Boolean) b.eval(h);
        }
        return l;
    }

    private Node compare() {
        Node l = sum();
        if (eatWord("in")) {
            Node r = sum();
            return h -> {
                Object x = l.eval(h);
                return ((List<?>) r.eval(h)).stream().anyMatch(y -> java.util.Objects.equals(x, y));
            };
        }
        if (eat(">=")) {
            Node r = sum();
            return h -> num(l.eval(h)) >= num(r.eval(h));
        }
        if (eat("<=")) {
            Node r = sum();
            return h -> num(l.eval(h)) <= num(r.eval(h));
        }
        if (eat("<")) {
            Node r = sum();
            return h -> num(l.eval(h)) < num(r.eval(h));
        }
        if (eat(">")) {
            Node r = sum();
            return h -> num(l.eval(h)) > num(r.eval(h));
        }
        if (eat("!=")) {
            Node r = sum();
            return h -> {
                Object a = l.eval(h);
                Object b = r.eval(h);
                return a instanceof Number x && b instanceof Number y ? x.doubleValue() != y.doubleValue() : !java.util.Objects.equals(a, b);
            };
        }
        if (eat("==")) {
            Node r = sum();
            return h -> {
                Object a = l.eval(h);
                Object b = r.eval(h);
                return a instanceof Number x && b instanceof Number y ? x.doubleValue() == y.doubleValue() : java.util.Objects.equals(a, b);
            };
        }
        return l;
    }

    private Node sum() {
        Node l = product();
        while (true) {
            if (eat("+")) {
                Node a = l;
                Node b = product();
                l = h -> add(a.eval(h), b.eval(h));
            } else if (peek('-')) {
                at++;
                Node a = l;
                Node b = product();
                l = h -> {
                    Object x = a.eval(h);
                    Object y = b.eval(h);
                    return x instanceof Long i && y instanceof Long j ? (Object) (i - j) : (Object) (num(x) - num(y));
                };
            } else {
                return l;
            }
        }
    }

    /** {@code * / %}: {@code /} always gives a float64, {@code %} takes integers only (expr-lang panics otherwise). */
    private Node product() {
        Node l = postfix();
        while (true) {
            space();
            if (at >= src.length() || "*/%".indexOf(src.charAt(at)) < 0) {
                return l;
            }
            char op = src.charAt(at++);
            Node a = l;
            Node b = postfix();
            l = h -> {
                Object x = a.eval(h);
                Object y = b.eval(h);
                if (x == null || y == null) {
                    throw new IllegalStateException("invalid operation: " + x + " " + op + " " + y);
                }
                if (op == '%') {
                    if (x instanceof Long i && y instanceof Long j) {
                        return i % j;
                    }
                    throw new IllegalStateException("invalid operation: " + x.getClass().getSimpleName() + " % "
                            + y.getClass().getSimpleName());
                }
                if (op == '/') {
                    return num(x) / num(y);
                }
                return x instanceof Long i && y instanceof Long j ? (Object) (i * j) : (Object) (num(x) * num(y));
            };
        }
    }

    private Node postfix() {
        Node n = primary();
        while (true) {
            if (peek('.')) {
                at++;
                int start = at;
                while (at < src.length() && Character.isLetterOrDigit(src.charAt(at))) {
                    at++;
                }
                String field = src.substring(start, at);
                Node target = n;
                n = h -> ((Map<?, ?>) target.eval(h)).get(field);
                continue;
            }
            if (!eat("[")) {
                return n;
            }
            Node target = n;
            Node index = or();
            expect("]");
            n = h -> {
                Object t = target.eval(h);
                if (t instanceof Map<?, ?> m) {
                    return m.get(index.eval(h));
                }
                return ((List<?>) t).get(Math.toIntExact((Long) index.eval(h)));
            };
        }
    }

    private Node primary() {
        space();
        char c = src.charAt(at);
        if (c == '(') {
            at++;
            Node n = or();
            expect(")");
            return n;
        }
        if (c == '#') {
            at++;
            return h -> h;
        }
        if (c == '\'') {
            String s = string();
            return h -> s;
        }
        if (c == '[') {
            at++;
            List<Node> items = new ArrayList<>();
            if (!eat("]")) {
                do {
                    items.add(or());
                } while (eat(","));
                expect("]");
            }
            return h -> {
                List<Object> out = new ArrayList<>();
                items.forEach(i -> out.add(i.eval(h)));
                return out;
            };
        }
        if (c == '{' && mapLiteralAhead()) {
            at++;
            List<String> keys = new ArrayList<>();
            List<Node> values = new ArrayList<>();
            do {
                space();
                keys.add(string());
                expect(":");
                values.add(or());
            } while (eat(","));
            expect("}");
            return h -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    out.put(keys.get(i), values.get(i).eval(h));
                }
                return out;
            };
        }
        if (c == '{') {
            at++;
            Node body = or();
            expect("}");
            return new Closure(body);
        }
        if (Character.isDigit(c)) {
            java.util.regex.Matcher m = NUMBER.matcher(src).region(at, src.length());
            m.lookingAt();
            at = m.end();
            Object v = m.group(1) == null && m.group(2) == null ? (Object) Long.parseLong(m.group()) : (Object) Double.parseDouble(m.group());
            return h -> v;
        }
        if (c == '-' || c == '!') {
            at++;
            Node operand = postfix();
            return c == '!' ? h -> !(Boolean) operand.eval(h) : h -> {
                Object v = operand.eval(h);
                return v instanceof Long i ? (Object) (-i) : (Object) (-num(v));
            };
        }
        int start = at;
        while (at < src.length() && (Character.isLetterOrDigit(src.charAt(at)) || src.charAt(at) == '.')) {
            at++;
        }
        String name = src.substring(start, at);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("unexpected `" + c + "` at " + at);
        }
        if (name.equals("nil")) {
            return h -> null;
        }
        if (!eat("(")) {
            if (!env.containsKey(name)) {
                throw new IllegalArgumentException("unknown name " + name);
            }
            Object v = env.get(name);
            return h -> v;
        }
        List<Node> args = new ArrayList<>();
        if (!eat(")")) {
            do {
                args.add(or());
            } while (eat(","));
            expect(")");
        }
        return h -> call(name, args, h);
    }

    private record Closure(Node body) implements Node {
        @Override
        public Object eval(Object hash) {
            return this;
        }
    }

    /**
     * expr-lang's {@code min} and {@code max} of numbers or of one array of them: the first kept unless a later one is
     * less (greater), compared as int64 when both are, else as float64 (NaN compares false); nil of an empty array.
     */
    private static Object minMax(String name, List<Object> a) {
        List<?> items = a.size() == 1 && a.get(0) instanceof List<?> l ? l : a;
        Object best = null;
        for (Object x : items) {
            if (!(x instanceof Long) && !(x instanceof Double)) {
                throw new IllegalStateException("invalid argument for " + name + " (type " + x + ")");
            }
            Object l = name.equals("min") ? x : best;
            Object r = name.equals("min") ? best : x;
            if (best == null || (l instanceof Long i && r instanceof Long j ? i < j : num(l) < num(r))) {
                best = x;
            }
        }
        return best;
    }

    private static Object call(String name, List<Node> args, Object h) {
        if (name.equals("filter")) {
            List<?> list = (List<?>) args.get(0).eval(h);
            Closure f = (Closure) args.get(1).eval(h);
            return list.stream().filter(x -> (Boolean) f.body().eval(x)).toList();
        }
        if (name.equals("sortBy")) {
            // expr-lang's sortBy, ascending by the closure's key: numbers or texts
            List<Object> list = new ArrayList<>((List<?>) args.get(0).eval(h));
            Closure f = (Closure) args.get(1).eval(h);
            list.sort((x, y) -> {
                Object a = f.body().eval(x);
                Object b = f.body().eval(y);
                return a instanceof String p && b instanceof String q ? p.compareTo(q) : Double.compare(num(a), num(b));
            });
            return list;
        }
        if (name.equals("groupBy")) {
            Map<Object, List<Object>> groups = new LinkedHashMap<>();
            Closure f = (Closure) args.get(1).eval(h);
            ((List<?>) args.get(0).eval(h)).forEach(x -> groups.computeIfAbsent(f.body().eval(x), k -> new ArrayList<>()).add(x));
            return groups;
        }
        if (name.equals("map")) {
            List<?> list = (List<?>) args.get(0).eval(h);
            Closure f = (Closure) args.get(1).eval(h);
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(f.body().eval(x)));
            return out;
        }
        List<Object> a = new ArrayList<>();
        args.forEach(n -> a.add(n.eval(h)));
        return switch (name) {
            case "len" -> a.get(0) instanceof String s ? (long) s.codePointCount(0, s.length()) : (long) ((List<?>) a.get(0)).size();
            case "min", "max" -> minMax(name, a);
            case "sum" -> {
                Object total = 0L; // expr-lang adds from the int 0: Ints wrap around, a Float makes the rest float64
                for (Object x : (List<?>) a.get(0)) {
                    total = add(total, x);
                }
                yield total;
            }
            case "asInt" -> a.get(0) instanceof Double d ? (Object) (long) (double) d
                    : a.get(0) instanceof String s ? (Object) Long.parseLong(s) : a.get(0);
            case "toJson" -> goJson(a.get(0));
            case "floor" -> Math.floor(num(a.get(0)));
            // Go's math.Round: half away from zero
            case "round" -> Math.signum(num(a.get(0))) * Math.floor(Math.abs(num(a.get(0))) + 0.5);
            case "int" -> a.get(0) instanceof Double d ? (Object) (long) (double) d
                    : a.get(0) instanceof String s ? (Object) Long.parseLong(s) : a.get(0);
            case "float" -> a.get(0) instanceof String s ? (Object) parseFloat(s) : (Object) num(a.get(0));
            case "sprig.trim" -> str(a.get(0)).strip();
            case "jsonpath" -> json(str(a.get(0)));
            case "asFloat" -> a.get(0) instanceof String s ? (Object) parseFloat(s) : (Object) num(a.get(0));
            case "sprig.toString" -> a.get(0) instanceof Double d ? goFloat(d) : String.valueOf(a.get(0));
            // sprig's own toJson: the empty text where json.Marshal fails (+Inf, NaN); Argo's toJson fails there
            case "sprig.toJson" -> a.get(0) instanceof Double d && (d.isNaN() || d.isInfinite()) ? "" : goJson(a.get(0));
            case "sprig.contains" -> str(a.get(1)).contains(str(a.get(0)));
            // sprig's default: the first argument when the second is empty (nil, "", an empty list)
            case "sprig.default" -> a.get(1) == null || "".equals(a.get(1)) || a.get(1) instanceof List<?> l && l.isEmpty() ? a.get(0) : a.get(1);
            // sprig's dig: the keys down nested maps, the default where one is missing, the map last
            case "sprig.dig" -> {
                Object at = a.get(a.size() - 1);
                for (Object k : a.subList(0, a.size() - 2)) {
                    at = at instanceof Map<?, ?> m ? m.get(k) : null;
                }
                yield at == null ? a.get(a.size() - 2) : at;
            }
            case "sprig.ternary" -> (Boolean) a.get(2) ? a.get(0) : a.get(1);
            case "sprig.hasPrefix" -> str(a.get(1)).startsWith(str(a.get(0)));
            case "sprig.trimPrefix" -> str(a.get(1)).startsWith(str(a.get(0)))
                    ? str(a.get(1)).substring(str(a.get(0)).length()) : str(a.get(1));
            case "sprig.replace" -> str(a.get(2)).replace(str(a.get(0)), str(a.get(1)));
            case "sprig.splitList" -> List.of((Object[]) str(a.get(1)).split(Pattern.quote(str(a.get(0))), -1));
            case "sprig.atoi" -> atoi(str(a.get(0)));
            case "sprig.substr" -> substr(Math.toIntExact((Long) a.get(0)), Math.toIntExact((Long) a.get(1)), str(a.get(2)));
            case "sprig.repeat" -> {
                long count = (Long) a.get(0);
                if (count < 0) {
                    throw new IllegalStateException("strings: negative Repeat count");
                }
                yield str(a.get(1)).repeat(Math.toIntExact(count));
            }
            case "sprig.regexMatch" -> Pattern.compile(str(a.get(0))).matcher(str(a.get(1))).find();
            case "sprig.regexFind" -> {
                java.util.regex.Matcher m = Pattern.compile(str(a.get(0))).matcher(str(a.get(1)));
                yield m.find() ? m.group() : "";
            }
            case "sprig.regexReplaceAll" -> Pattern.compile(str(a.get(0))).matcher(str(a.get(1))).replaceAll(str(a.get(2)));
            // expr-lang's last: nil of nil or of an empty array (its panic recovered)
            case "last" -> a.get(0) instanceof List<?> l && !l.isEmpty() ? l.get(l.size() - 1) : null;
            case "sprig.join" -> {
                List<String> parts = new ArrayList<>();
                ((List<?>) a.get(1)).forEach(x -> parts.add(str(x)));
                yield String.join(str(a.get(0)), parts);
            }
            default -> throw new IllegalArgumentException("unknown function " + name);
        };
    }

    /** JSON as Go's encoding/json reads it into interface{}: every number a float64. */
    private static Object json(String text) {
        try {
            JsonNode n = new ObjectMapper().readTree(text);
            if (n.isMissingNode()) { // the empty text: Go's json.Unmarshal fails, and with it Argo's jsonpath
                throw new IllegalStateException("not JSON: the empty text");
            }
            return plain(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    private static Object plain(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getValue())));
            return out;
        }
        return null;
    }

    /**
     * Go's {@code json.Marshal} (Argo's {@code toJson}): a float64 as 'f' of its shortest digits, or 'e' below 1e-6 and
     * from 1e21 on with the exponent's leading zero dropped ({@code 1e-7}); map keys sorted; {@code < > &} escaped.
     */
    public static String goJson(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
        if (v instanceof Double d) {
            double abs = Math.abs(d);
            if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
                String g = goFloat(d); // the same digits, in 'e' form below 1e-4 and from 1e+06 on
                return g.replaceFirst("e([+-])0([0-9])$", "e$1$2");
            }
            // strconv keeps the sign of a zero, which BigDecimal drops
            return d == 0 ? goFloat(d) : new BigDecimal(goFloat(d)).toPlainString();
        }
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(goJson(x)));
            return "[" + String.join(",", parts) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            map.keySet().forEach(k -> keys.add((String) k));
            keys.sort(null);
            List<String> parts = new ArrayList<>();
            keys.forEach(k -> parts.add(goJson(k) + ":" + goJson(map.get(k))));
            return "{" + String.join(",", parts) + "}";
        }
        return String.valueOf(v);
    }

    /**
     * What Argo puts for {@code {{item}}} ({@code key} null) or {@code {{item.key}}} in iteration {@code index} of a loop
     * whose withParam is {@code withParam}: each item keeps its JSON text ({@code wfv1.Item} holds a
     * {@code json.RawMessage}, {@code pkg/apis/workflow/v1alpha1/item.go}), and {@code processItem}
     * ({@code workflow/controller/dag/expansion.go}) substitutes a text item's string, a map item as
     * {@code json.Marshal} of a {@code map[string]Item} (keys sorted, each value's text compacted), a list item likewise,
     * a number or Bool as its compacted text, and {@code item.key} as {@code Item.String()} of the value: its compacted
     * text, a string with its quotes chopped off and its JSON escapes kept, and the escapes of {@code < > &} turned
     * back ({@code util/json/fix.go}). Compacting is Go's: {@code < > &} and U+2028, U+2029 become escapes
     * (encoding/json escapes what a marshaler returns).
     */
    public static String argoItem(String withParam, int index, String key) {
        String raw = rawElements(withParam.strip()).get(index);
        if (key != null) {
            String x = goCompact(rawMembers(raw).get(key));
            return goFix(x.startsWith("\"") ? x.substring(1, x.length() - 1) : x);
        }
        char c = raw.charAt(0);
        if (c == '"') {
            return (String) json(raw);
        }
        if (c == '[') {
            List<String> parts = new ArrayList<>();
            rawElements(raw).forEach(e -> parts.add(goCompact(e)));
            return "[" + String.join(",", parts) + "]";
        }
        if (c == '{') {
            Map<String, String> members = rawMembers(raw);
            List<String> keys = new ArrayList<>(members.keySet());
            keys.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            List<String> parts = new ArrayList<>();
            keys.forEach(k -> parts.add(goJson(k) + ":" + goCompact(members.get(k))));
            return "{" + String.join(",", parts) + "}";
        }
        return goFix(goCompact(raw));
    }

    /** Go's {@code json.Compact} with HTML escaping, as {@code json.Marshal} applies it to a marshaler's text. */
    private static String goCompact(String raw) {
        StringBuilder b = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else if (inString) {
                b.append(c);
                if (c == '\\') {
                    b.append(raw.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                b.append(c);
                inString = c == '"';
            }
        }
        return b.toString();
    }

    /** Argo's {@code jsonutil.Fix}: the HTML escapes of encoding/json turned back. */
    private static String goFix(String s) {
        return s.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
    }

    /** The texts of the elements of a JSON list, as written. */
    private static List<String> rawElements(String list) {
        List<String> out = new ArrayList<>();
        int[] at = {1};
        skipSpace(list, at);
        while (list.charAt(at[0]) != ']') {
            int start = at[0];
            skipValue(list, at);
            out.add(list.substring(start, at[0]));
            skipSeparator(list, at);
        }
        return out;
    }

    /** The members of a JSON object, each value's text as written, in their order. */
    private static Map<String, String> rawMembers(String object) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] at = {1};
        skipSpace(object, at);
        while (object.charAt(at[0]) != '}') {
            int start = at[0];
            skipValue(object, at);
            String k = (String) json(object.substring(start, at[0]));
            skipSpace(object, at);
            at[0]++; // the ':'
            skipSpace(object, at);
            int v = at[0];
            skipValue(object, at);
            out.put(k, object.substring(v, at[0]));
            skipSeparator(object, at);
        }
        return out;
    }

    private static void skipSeparator(String s, int[] at) {
        skipSpace(s, at);
        if (s.charAt(at[0]) == ',') {
            at[0]++;
            skipSpace(s, at);
        }
    }

    private static void skipSpace(String s, int[] at) {
        while (Character.isWhitespace(s.charAt(at[0]))) {
            at[0]++;
        }
    }

    /** Past one JSON value starting at {@code at}. */
    private static void skipValue(String s, int[] at) {
        int depth = 0;
        boolean inString = false;
        do {
            char c = s.charAt(at[0]++);
            if (inString) {
                if (c == '\\') {
                    at[0]++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            }
        } while (inString || depth > 0 || at[0] < s.length() && ",]}: \t\r\n".indexOf(s.charAt(at[0])) < 0);
    }

    /**
     * Go's strconv.ParseFloat of a plain decimal or of its words for the infinities and NaN ({@code [+-]inf},
     * {@code [+-]infinity}, {@code nan}, any case): no spaces around it (Java's parseDouble would take them).
     */
    private static double parseFloat(String s) {
        if (s.matches("(?i)[+-]?inf(inity)?|nan")) {
            return s.equalsIgnoreCase("nan") ? Double.NaN : s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!s.matches("[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?")) {
            throw new IllegalStateException("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
        }
        return Double.parseDouble(s);
    }

    /** Go's strconv.Atoi as sprig calls it: an error gives 0. */
    private static long atoi(String s) {
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** sprig's substr: Go's slice rules, a panic when out of range. */
    private static String substr(int start, int end, String s) {
        if (start < 0) {
            return s.substring(0, end);
        }
        if (end < 0 || end > s.length()) {
            return s.substring(start);
        }
        return s.substring(start, end);
    }

    private static Object add(Object x, Object y) {
        if (x instanceof String a && y instanceof String b) {
            return a + b;
        }
        if (x instanceof Long a && y instanceof Long b) {
            return a + b;
        }
        return num(x) + num(y);
    }

    private static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException("not a number: " + o);
    }

    private static String str(Object o) {
        if (o instanceof String s) {
            return s;
        }
        throw new IllegalStateException("not a string: " + o);
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        at++;
        while (src.charAt(at) != '\'') {
            char c = src.charAt(at);
            if (c == '\\') {
                char k = src.charAt(at + 1);
                if (k == 'u') {
                    b.append((char) Integer.parseInt(src.substring(at + 2, at + 6), 16));
                    at += 6;
                } else {
                    b.append(k);
                    at += 2;
                }
            } else {
                b.append(c);
                at++;
            }
        }
        at++;
        return b.toString();
    }

    private void space() {
        while (at < src.length() && src.charAt(at) == ' ') {
            at++;
        }
    }

    private boolean peek(char c) {
        space();
        return at < src.length() && src.charAt(at) == c;
    }

    /** {@code word} as a whole word (not the start of a name). */
    private boolean eatWord(String word) {
        space();
        int end = at + word.length();
        if (src.startsWith(word, at) && (end == src.length() || !Character.isLetterOrDigit(src.charAt(end)))) {
            at = end;
            return true;
        }
        return false;
    }

    /** At {@code {}: a map literal ({@code {'key': ...}}) rather than a closure. */
    private boolean mapLiteralAhead() {
        int save = at;
        try {
            at++;
            space();
            if (at >= src.length() || src.charAt(at) != '\'') {
                return false;
            }
            string();
            return peek(':');
        } finally {
            at = save;
        }
    }

    private boolean eat(String token) {
        space();
        if (src.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!eat(token)) {
            throw new IllegalArgumentException("expected `" + token + "` at " + at + " in " + src);
        }
    }
}
