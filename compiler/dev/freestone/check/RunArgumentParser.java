package dev.freestone.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Span;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses run arguments by the parameter types: a String as it is; Int, Float and Bool as literals;
 * a Duration as {@code 30s}; a Quantity as {@code 512Mi}; an artifact as a path or URI; lists, maps
 * and structs as JSON; {@code null} for an optional. Values come out as the IR writes constants.
 */
final class RunArgumentParser {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    // a key given twice is a mistake, not "the last one wins": the user meant one of them
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern DURATION = Pattern.compile("([0-9][0-9_]*)(ms|s|m|h|d)");
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");
    private static final String FLOAT_RANGE = "it does not fit in a 64-bit Float";
    private static final Pattern INT = Pattern.compile("[+-]?[0-9](_?[0-9])*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private RunArgumentParser() {
    }

    /** Why a value does not parse, and what to write instead. */
    private static final class Invalid extends Exception {
        final String help;
        /** Whether {@link #help} is a sample value of JSON for the type: no use for a type no value of which runs. */
        final boolean sample;

        Invalid(String reason, String help) {
            this(reason, help, false);
        }

        private Invalid(String reason, String help, boolean sample) {
            super(reason, null, false, false);
            this.help = help;
            this.sample = sample;
        }

        /** A value given as JSON for {@code t} that is none, with a sample of {@code t} as its help. */
        static Invalid sampling(String reason, Type t) {
            return new Invalid(reason, example(t), true);
        }
    }

    /** A file inside a struct or map: where in the value ({@code train}, {@code splits.train}), by which name. */
    private record FileInside(String path, String name, Type type) {
    }

    /**
     * The first file a value of {@code t} holds inside a struct or map, or null: a run takes a file only as a parameter
     * of its own (or a list of them), so no value of such a type runs, and its sample would mislead; {@code path}: where
     * in the value {@code t} is; {@code name}: what to call the file's own parameter.
     */
    private static FileInside fileInside(Type t, String path, String name) {
        if (t instanceof Type.Optional o) {
            return fileInside(o.inner(), path, name);
        }
        if (t instanceof Type.ArtifactType) {
            return path.isEmpty() ? null : new FileInside(path, name, t);
        }
        if (t instanceof Type.ListOf l) {
            return fileInside(l.element(), path, name);
        }
        if (t instanceof Type.MapOf m) {
            return fileInside(m.value(), path + "[key]", name);
        }
        if (t instanceof Type.Struct s) {
            for (Map.Entry<String, Type> f : s.fields().entrySet()) {
                FileInside inside = fileInside(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getKey());
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /**
     * The help of a mistake in parameter {@code in}'s value: what {@code x} says, but for a sample of a type that holds a
     * file inside a struct or map, which would only lead to the next error: the form that runs, the file as a parameter.
     */
    private static String help(Invalid x, Symbol.Input in) {
        FileInside inside = x.sample ? fileInside(in.type(), "", in.name()) : null;
        return inside == null ? x.help : "`" + inside.path() + "` in it is a file, which a run takes only as a parameter of"
                + " its own (or a list of them): declare it so, `" + inside.name() + ": " + inside.type().display()
                + "`, and pass it with --param " + inside.name() + "=PATH";
    }

    static RunArguments parse(Checked program, String pipelineName, Map<String, String> raw,
                              Map<String, RunArguments.Place> places) {
        List<Diagnostic> diags = new ArrayList<>();
        Symbol.Pipeline p = choose(program, pipelineName, diags);
        TreeMap<String, JsonNode> values = new TreeMap<>();
        if (p == null) {
            return new RunArguments(null, values, diags);
        }
        Map<String, Symbol.Input> inputs = new TreeMap<>();
        p.inputs().forEach(i -> inputs.put(i.name(), i));
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            String name = e.getKey();
            RunArguments.Place place = places.get(name);
            Span at = Span.synthetic("--param " + name);
            Symbol.Input in = inputs.get(name);
            if (in == null) {
                diags.add(Diagnostic.of(Code.E0601, place == null ? at : place.name(), name, p.name(), p.name(), Ctx.list(inputs.keySet()))
                        .withHelp(DidYouMean.help(name, inputs.keySet(), inputs.isEmpty()
                                ? "`" + p.name() + "` has no parameters"
                                : "the parameters of `" + p.name() + "` are: " + Ctx.list(inputs.keySet()))));
                continue;
            }
            try {
                values.put(name, parseText(e.getValue(), in.type()));
            } catch (Invalid x) {
                diags.add(Diagnostic.of(Code.E0603, place == null ? at : place.value(), name, in.type().display(), x.getMessage(), help(x, in)));
            }
        }
        for (Symbol.Input in : p.inputs()) {
            if (in.required() && !raw.containsKey(in.name())) {
                // at the parameter's declaration, as a missing file is (E0606): the place to read its type at
                diags.add(Diagnostic.of(Code.E0602, in.decl().span(), in.name(), p.name(), in.name()));
            }
        }
        return new RunArguments(p.name(), values, Diagnostic.sorted(diags));
    }

    private static Symbol.Pipeline choose(Checked program, String name, List<Diagnostic> diags) {
        List<Symbol.Pipeline> all = program.pipelines();
        List<String> names = all.stream().map(Symbol.Pipeline::name).toList();
        String file = program.root().source().path();
        if (name != null) {
            var p = program.pipeline(name);
            if (p.isEmpty()) {
                diags.add(Diagnostic.of(Code.E0605, Span.synthetic("--pipeline " + name), "no pipeline `" + name + "` in " + file)
                        .withHelp(DidYouMean.help(name, names, names.isEmpty() ? "the file declares no pipeline"
                                : "its pipelines are: " + Ctx.list(names))));
                return null;
            }
            return p.get();
        }
        if (all.isEmpty()) {
            diags.add(Diagnostic.of(Code.E0604, Span.synthetic(file), file));
            return null;
        }
        if (all.size() > 1) {
            diags.add(Diagnostic.of(Code.E0605, Span.synthetic(file), file + " declares several pipelines: " + Ctx.list(names)));
            return null;
        }
        return all.get(0);
    }

    /** A value as typed on the command line. */
    static JsonNode parseText(String text, Type t) throws Invalid {
        if (t instanceof Type.Optional o) {
            return text.equals("null") ? JSON.nullNode() : parseText(text, o.inner());
        }
        if (t.equals(Type.STRING)) {
            return JSON.textNode(text);
        }
        if (t.equals(Type.INT)) {
            if (!INT.matcher(text.trim()).matches()) {
                throw new Invalid("`" + text + "` is not an Int", "write a whole number such as `42`");
            }
            try {
                return JSON.numberNode(Long.parseLong(text.trim().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new Invalid("`" + text + "` is out of range", "Int is a 64-bit signed integer");
            }
        }
        if (t.equals(Type.FLOAT)) {
            if (!FLOAT.matcher(text.trim()).matches()) {
                throw new Invalid("`" + text + "` is not a Float", "write a number such as `0.5` or `1e-3`");
            }
            double d = Double.parseDouble(text.trim());
            if (Double.isInfinite(d)) {
                throw new Invalid("`" + text + "` is out of range", FLOAT_RANGE);
            }
            return JSON.numberNode(d);
        }
        if (t.equals(Type.BOOL)) {
            // any case, as a step's Bool output is read and as Argo's guards read a parameter: `True` from Python
            String b = text.trim();
            if (b.equalsIgnoreCase("true") || b.equalsIgnoreCase("false")) {
                return JSON.booleanNode(b.equalsIgnoreCase("true"));
            }
            throw new Invalid("`" + text + "` is not a Bool", "write `true` or `false`");
        }
        if (t.equals(Type.DURATION)) {
            return duration(text);
        }
        if (t.equals(Type.QUANTITY)) {
            if (!Settings.QUANTITY.matcher(text).matches()) {
                throw new Invalid("`" + text + "` is not a quantity", "write a quantity such as `512Mi` or `2Gi`");
            }
            return JSON.textNode(text);
        }
        if (t instanceof Type.Volume) {
            if (!Type.Volume.isClaimName(text)) {
                throw new Invalid("`" + text + "` is not the name of a PersistentVolumeClaim",
                        "a claim's name: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit");
            }
            return JSON.textNode(text);
        }
        if (t instanceof Type.ArtifactType) {
            if (text.isBlank()) {
                throw new Invalid("the path is empty", "give the path or URI of a file or directory");
            }
            return JSON.textNode(text);
        }
        if (t instanceof Type.ListOf || t instanceof Type.MapOf || t instanceof Type.Struct) {
            JsonNode json;
            try {
                json = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw Invalid.sampling("it is not valid JSON: " + jsonProblem(text, e), t);
            }
            if (json == null || json.isMissingNode()) {
                throw Invalid.sampling("it is empty", t);
            }
            return fromJson(json, t, "");
        }
        throw new Invalid("values of this type cannot be given on the command line", "give it a default value");
    }

    private static JsonNode duration(String text) throws Invalid {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new Invalid("`" + text + "` is not a Duration", "write a duration such as `30s`, `10m` or `2h`");
        }
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        try {
            return Constants.seconds(Math.multiplyExact(Long.parseLong(m.group(1).replace("_", "")), unit));
        } catch (NumberFormatException | ArithmeticException e) {
            // as a literal in a file: a Duration is a 64-bit count of milliseconds
            throw new Invalid("`" + text + "` is out of range", "the longest duration is about 292 million years");
        }
    }

    /**
     * Where and why the text is not JSON, in the user's terms: the parser's own message names its
     * internals (`code 108`, `StreamReadFeature`), and a .pipe habit (`{lr: 0.1}`, `'a'`) is the usual cause.
     */
    private static String jsonProblem(String text, JsonProcessingException e) {
        if (e.getOriginalMessage().startsWith("Unexpected end-of-input")) {
            return "it ends too early (a closing `]`, `}` or `\"` is missing)";
        }
        Matcher twice = DUPLICATE_KEY.matcher(e.getOriginalMessage());
        if (twice.matches()) {
            return "the key `" + twice.group(1) + "` is given twice";
        }
        // the offset in the whole text: a value from `$(cat cfg.json)` has lines, and the column is the line's
        long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
        if (offset < 0 || offset >= text.length()) {
            return "unexpected text";
        }
        int at = (int) offset;
        int lineEnd = text.indexOf('\n', at);
        String rest = text.substring(at, Math.min(at + 12, lineEnd < 0 ? text.length() : lineEnd)).strip();
        String where = e.getLocation().getLineNr() > 1
                ? "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                : "column " + (at + 1);
        // a name or text without double quotes, the habit of a .pipe file or Python (`{lr: 0.1}`, `'a'`)
        boolean unquoted = Character.isLetter(text.charAt(at)) || text.charAt(at) == '\'';
        return "unexpected `" + rest + "` at " + where + (unquoted ? " (names and text are written in double quotes)" : "");
    }

    /** The help for a value given as JSON: what it looks like for this type. */
    private static String example(Type t) {
        if (t instanceof Type.ListOf) {
            return "write a JSON list, e.g. `" + sample(t, 0) + "`";
        }
        if (t instanceof Type.MapOf) {
            return "write a JSON object, e.g. `" + sample(t, 0) + "`";
        }
        return "write a JSON object with the fields of `" + t.display() + "`, e.g. `" + sample(t, 0) + "`";
    }

    /** A JSON value of type {@code t}, the {@code i}th of two, so that a list's sample shows two elements. */
    private static String sample(Type t, int i) {
        if (t instanceof Type.Optional o) {
            return sample(o.inner(), i);
        }
        if (t instanceof Type.ListOf l) {
            return "[" + sample(l.element(), 0) + ", " + sample(l.element(), 1) + "]";
        }
        if (t instanceof Type.MapOf m) {
            return "{\"a\": " + sample(m.value(), i) + "}";
        }
        if (t instanceof Type.Struct s) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, Type> f : s.fields().entrySet()) {
                b.append(b.length() > 1 ? ", " : "").append('"').append(f.getKey()).append("\": ").append(sample(f.getValue(), i));
            }
            return b.append('}').toString();
        }
        if (t.equals(Type.INT)) {
            return i == 0 ? "1" : "2";
        }
        if (t.equals(Type.FLOAT)) {
            return i == 0 ? "0.1" : "0.01";
        }
        if (t.equals(Type.BOOL)) {
            return i == 0 ? "true" : "false";
        }
        if (t.equals(Type.DURATION)) {
            return i == 0 ? "\"30s\"" : "\"5m\"";
        }
        if (t.equals(Type.QUANTITY)) {
            return i == 0 ? "\"512Mi\"" : "\"1Gi\"";
        }
        if (t instanceof Type.ArtifactType) {
            return i == 0 ? "\"a.csv\"" : "\"b.csv\"";
        }
        return i == 0 ? "\"a\"" : "\"b\"";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** Checks a JSON value against a type; {@code path} says where in the value, for messages. */
    private static JsonNode fromJson(JsonNode v, Type t, String path) throws Invalid {
        // the value itself beside its place: `[1]` alone would read as the value given
        String where = path.isEmpty() ? "the value" : "the value at `" + path + "`, `" + abbreviate(v.toString()) + "`,";
        if (t instanceof Type.Optional o) {
            return v.isNull() ? v : fromJson(v, o.inner(), path);
        }
        if (t instanceof Type.ListOf l) {
            if (!v.isArray()) {
                throw Invalid.sampling(where + " is not a JSON list", t);
            }
            ArrayNode a = JSON.arrayNode();
            for (int i = 0; i < v.size(); i++) {
                a.add(fromJson(v.get(i), l.element(), path + "[" + i + "]"));
            }
            return a;
        }
        if (t instanceof Type.MapOf m) {
            if (!v.isObject()) {
                throw Invalid.sampling(where + " is not a JSON object", t);
            }
            ObjectNode o = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), fromJson(e.getValue(), m.value(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
            }
            return o;
        }
        if (t instanceof Type.Struct s) {
            if (!v.isObject()) {
                throw Invalid.sampling(where + " is not a JSON object", t);
            }
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!s.fields().containsKey(f)) {
                    throw new Invalid("`" + s.name() + "` has no field `" + f + "`",
                            DidYouMean.help(f, s.fields().keySet(), "the fields of `" + s.name() + "` are: " + Ctx.list(s.fields().keySet())));
                }
            }
            ObjectNode o = JSON.objectNode();
            for (Map.Entry<String, Type> f : s.fields().entrySet()) {
                JsonNode fv = v.get(f.getKey());
                String fp = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (fv == null) {
                    if (!(f.getValue() instanceof Type.Optional)) {
                        throw Invalid.sampling("field `" + fp + "` is missing", t);
                    }
                    o.set(f.getKey(), JSON.nullNode());
                } else {
                    o.set(f.getKey(), fromJson(fv, f.getValue(), fp));
                }
            }
            return o;
        }
        if (t.equals(Type.STRING) || t.equals(Type.QUANTITY) || t instanceof Type.ArtifactType || t instanceof Type.Volume) {
            if (!v.isTextual()) {
                throw new Invalid(where + " is not a JSON string", "write it in double quotes");
            }
            return t.equals(Type.QUANTITY) || t instanceof Type.Volume ? parseText(v.textValue(), t) : v;
        }
        if (t.equals(Type.INT)) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new Invalid(where + " is not an Int", "write a whole number");
            }
            return JSON.numberNode(v.longValue());
        }
        if (t.equals(Type.FLOAT)) {
            if (!v.isNumber()) {
                throw new Invalid(where + " is not a number", "write a number");
            }
            if (Double.isInfinite(v.doubleValue())) {
                throw new Invalid(where + " is out of range", FLOAT_RANGE);
            }
            return JSON.numberNode(v.doubleValue());
        }
        if (t.equals(Type.BOOL)) {
            if (!v.isBoolean()) {
                throw new Invalid(where + " is not a Bool", "write `true` or `false`");
            }
            return v;
        }
        if (t.equals(Type.DURATION)) {
            if (v.isNumber()) {
                // seconds, as the IR writes a Duration; a negative or endless one is no Duration
                if (v.doubleValue() < 0 || v.doubleValue() * 1000 > Long.MAX_VALUE) {
                    throw new Invalid(where + " is out of range", "a Duration is between 0 and about 292 million years");
                }
                return v;
            }
            if (v.isTextual()) {
                return duration(v.textValue());
            }
            throw new Invalid(where + " is not a Duration", "write a duration string such as \"30s\"");
        }
        throw new Invalid(where + " cannot be given on the command line", "give it a default value");
    }
}
