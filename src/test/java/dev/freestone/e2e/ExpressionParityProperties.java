package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.ExprSubset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential: random arithmetic over Float, Int and String parameters is run by the engine ({@code freestone run})
 * and compiled ({@code freestone compile}); the expression Argo would evaluate is run by {@link ExprSubset} with Go's
 * semantics, and both must write the same text, or both fail (an Int past int64).
 */
class ExpressionParityProperties {
    private static final String EMIT = """
            component emit(text: String) -> (s: String) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", text, s]
            }

            struct Cfg {
              seed: Int
              lr: Float
            }

            pipeline calc(x: Float, n: Int, m: Int, s: String, cfg: Cfg, xs: List[Float]) -> (t: String) {
              e = emit(text = "%s")
              output t = e.s
            }
            """;

    /** Three expressions, and the parameters x, n, m, s, cfg, xs. */
    record Case(List<String> expressions, String x, String n, String m, String s, String cfg, String xs) {
    }

    @Property(tries = 12, seed = "20261127")
    void theEngineAndArgoWriteTheSameText(@ForAll("cases") Case c) throws Exception {
        sameTextOrBothFail(c);
    }

    @Property(tries = 30, seed = "20261127")
    void intArithmeticIsExactOrFailsOnBoth(@ForAll("intCases") Case c) throws Exception {
        sameTextOrBothFail(c);
    }

    @Property(tries = 40, seed = "20261127")
    void aggregatesOfListsAreTheSameOrFailOnBoth(@ForAll("aggregateCases") Case c) throws Exception {
        sameTextOrBothFail(c);
    }

    private void sameTextOrBothFail(Case c) throws Exception {
        Path tmp = Files.createTempDirectory("fs-parity");
        Freestone fs = new Freestone(tmp.resolve("home"));
        StringBuilder text = new StringBuilder("calc");
        for (String e : c.expressions()) {
            text.append(" ${").append(e).append('}');
        }
        Path p = Files.writeString(tmp.resolve("calc.pipe"), EMIT.formatted(text.toString().replace("\"", "\\\"")));
        String[] params = {"--param", "x=" + c.x(), "--param", "n=" + c.n(), "--param", "m=" + c.m(), "--param", "s=" + c.s(),
            "--param", "cfg=" + c.cfg(), "--param", "xs=" + c.xs()};
        Freestone.Result run = fs.cli(concat(new String[] {"run", "--progress", "none", p.toString()}, params));

        Path yaml = tmp.resolve("calc.yaml");
        fs.cli(concat(new String[] {"compile", p.toString(), "-o", yaml.toString()}, params)).expect(0);
        JsonNode wf = new YAMLMapper().readTree(yaml.toFile());
        Map<String, Object> values = new LinkedHashMap<>();
        wf.path("spec").path("arguments").path("parameters").forEach(a -> values.put(a.path("name").asText(), a.path("value").asText()));
        String v = wf.path("spec").path("templates").get(0).path("dag").path("tasks").get(0)
                .path("arguments").path("parameters").get(0).path("value").asText();
        String argo;
        if (run.exit() != 0) {
            // an Int past int64 fails the engine's step; Go's int64 wraps around, so the lowered code fails itself
            run.expect(1);
            assertTrue(run.all().contains("Int overflow") || run.all().contains("out of range") || run.all().contains("division by zero")
                    || run.all().contains("of an empty list"), run::all);
            assertThrows(RuntimeException.class, () -> ExprSubset.eval(v.substring(3, v.length() - 2), Map.of("workflow.parameters", values)),
                    () -> String.join(" | ", c.expressions()) + " with " + c);
            return;
        }
        String local = run.out().lines().filter(l -> l.startsWith("  output t = ")).findFirst()
                .orElseThrow(() -> new AssertionError(run.all())).substring("  output t = ".length());
        if (v.startsWith("{{=") && v.endsWith("}}")) {
            argo = (String) ExprSubset.eval(v.substring(3, v.length() - 2), Map.of("workflow.parameters", values));
        } else { // only parameters as they are: simple tags
            Matcher tag = Pattern.compile("\\{\\{workflow\\.parameters\\.([a-z]+)}}").matcher(v);
            argo = tag.replaceAll(r -> Matcher.quoteReplacement((String) values.get(r.group(1))));
        }
        assertEquals(local, argo, () -> String.join(" | ", c.expressions()) + " with " + c);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                expression(2).list().ofSize(3),
                Arbitraries.of("1.0", "0.1", "2.5", "1000000.0", "-3.0", "1e-07", "123456789.5"),
                Arbitraries.of("-7", "0", "12", "1234567"),
                Arbitraries.of("2", "-3", "7"),
                Arbitraries.of("12", " 12 ", "-4"),
                Arbitraries.of("{\"seed\":1234567,\"lr\":1.0}", "{\"seed\":-3,\"lr\":1e-07}"),
                Arbitraries.of("[1.0,2.5]", "[1000000.0,0.1,3.0]")).as(Case::new);
    }

    /**
     * One Int expression over n and m (and int(x)) with values past 2^53, where a float64 loses digits (expr-lang's `/`
     * is one), and near 2^63, where Go's int64 wraps around and the engine fails.
     */
    @Provide
    Arbitrary<Case> intCases() {
        Arbitrary<String> big = Arbitraries.oneOf(
                Arbitraries.of("9007199254740993", "-9007199254740993", "4611686018427387904", "-9223372036854775807",
                        "9223372036854775807", "3037000500", "-3037000499", "7", "-1", "1", "0"),
                Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> leaf = Arbitraries.of("n", "m", "3", "-2", "int(x)");
        Arbitrary<String> one = Combinators.combine(leaf, Arbitraries.of("+", "-", "*", "/", "%"), leaf)
                .as((a, op, b) -> "(" + a + " " + op + " " + b + ")");
        Arbitrary<String> two = Combinators.combine(one, Arbitraries.of("+", "-", "*", "/", "%"), leaf)
                .as((a, op, b) -> "(" + a + " " + op + " " + b + ")");
        Arbitrary<String> expression = Arbitraries.oneOf(one, two, leaf.map(l -> "(-" + l + ")"));
        return Combinators.combine(expression.list().ofSize(1), Arbitraries.of("1.0", "9.3e+18", "-9.1e+18", "1e+19", "123456789012.5"),
                big, big, Arbitraries.just("1"), Arbitraries.just("{\"seed\":1,\"lr\":1.0}"), Arbitraries.just("[1.0]")).as(Case::new);
    }

    /**
     * One {@code min max sum mean} over xs (random Floats with many digits, negative, large, tiny; empty at times) or
     * over a list of Ints n and m with values past 2^53 and near 2^63, whose sum can overflow; or {@code min}/{@code max}
     * of two numbers, Int and Float mixed.
     */
    @Provide
    Arbitrary<Case> aggregateCases() {
        Arbitrary<String> big = Arbitraries.oneOf(
                Arbitraries.of("9007199254740993", "-9007199254740993", "4611686018427387904", "-9223372036854775807",
                        "9223372036854775807", "-7", "0", "1"),
                Arbitraries.longs().map(String::valueOf));
        Arbitrary<Double> number = Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(0.1, 0.2, -0.0, 1e-7, 1e20, -2.5e17, 123456789.123456789, 1.0 / 3));
        Arbitrary<String> xs = number.list().ofMinSize(0).ofMaxSize(6)
                .map(l -> l.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "[", "]")));
        Arbitrary<String> ints = Arbitraries.of("[n, m]", "[n, m, -3]", "[m, n, n]", "[n, -m, 7]", "[3, n]");
        Arbitrary<String> lists = Arbitraries.oneOf(Arbitraries.just("xs"), ints);
        Arbitrary<String> ofList = Combinators.combine(Arbitraries.of("min", "max", "sum", "mean"), lists)
                .as((f, l) -> f + "(" + l + ")");
        Arbitrary<String> ofPair = Combinators.combine(Arbitraries.of("min", "max"), Arbitraries.of("n", "x", "xs[0]", "3"),
                Arbitraries.of("m", "x", "2.5", "-1")).as((f, a, b) -> f + "(" + a + ", " + b + ")");
        Arbitrary<String> expression = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, ofList), net.jqwik.api.Tuple.of(1, ofPair),
                net.jqwik.api.Tuple.of(1, ofList.map(e -> "str(" + e + ")")));
        return Combinators.combine(expression.list().ofSize(1), Arbitraries.of("1.0", "-3.5", "0.1"), big, big,
                Arbitraries.just("1"), Arbitraries.just("{\"seed\":1,\"lr\":1.0}"), xs).as(Case::new);
    }

    /** An expression whose value is printed: a Float, an Int, or either turned into text with str(). */
    private Arbitrary<String> expression(int depth) {
        Arbitrary<String> json = Arbitraries.oneOf(
                Arbitraries.of("json(cfg)", "json(xs)"),
                Combinators.combine(floats(depth - 1), ints(depth - 1)).as((f, i) -> "json([" + f + ", " + i + "])"),
                Combinators.combine(floats(depth - 1), floats(depth - 1)).as((f, g) -> "json([" + f + ", " + g + "])"),
                Combinators.combine(ints(depth - 1), ints(depth - 1)).as((i, j) -> "json([" + i + ", " + j + "])"),
                Combinators.combine(ints(depth - 1), floats(depth - 1)).as((i, f) -> "json(Cfg(seed = " + i + ", lr = " + f + "))"));
        return Arbitraries.oneOf(floats(depth), ints(depth), floats(depth).map(f -> "str(" + f + ")"), json);
    }

    private Arbitrary<String> floats(int depth) {
        Arbitrary<String> leaf = Arbitraries.of("x", "0.1", "2.0", "1e-7", "1000000.0", "float(n)", "float(s)", "cfg.lr", "xs[1]");
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = floats(depth - 1);
        Arbitrary<String> binary = Combinators.combine(sub, Arbitraries.of("+", "-", "*"), Arbitraries.oneOf(sub, ints(depth - 1)))
                .as((a, op, b) -> "(" + a + " " + op + " " + b + ")");
        Arbitrary<String> divided = Combinators.combine(sub, Arbitraries.of("2.0", "4", "0.5", "m"))
                .as((a, b) -> "(" + a + " / " + b + ")");
        Arbitrary<String> modulo = Combinators.combine(sub, Arbitraries.of("2.0", "0.75"))
                .as((a, b) -> "(" + a + " % " + b + ")");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(3, binary),
                net.jqwik.api.Tuple.of(1, divided), net.jqwik.api.Tuple.of(1, modulo));
    }

    private Arbitrary<String> ints(int depth) {
        Arbitrary<String> leaf = Arbitraries.of("n", "m", "3", "1000000", "len(s)", "int(s)", "int(x)", "cfg.seed", "len(xs)");
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = ints(depth - 1);
        Arbitrary<String> binary = Combinators.combine(sub, Arbitraries.of("+", "-", "*", "/", "%"), Arbitraries.of("m", "3", "-2"))
                .as((a, op, b) -> "(" + a + " " + op + " " + b + ")");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, leaf), net.jqwik.api.Tuple.of(2, binary));
    }
}
