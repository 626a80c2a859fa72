package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.freestone.ir.IrType;
import dev.freestone.ir.ValueText;
import dev.freestone.runtime.local.Values;
import dev.freestone.testing.ExprSubset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The expr-lang code {@link FloatText} writes, run by {@link ExprSubset} (expr-lang and sprig as Go evaluates them),
 * gives the engine's text of the same Float: where {@code sprig.toString} alone gives Go's {@code 2}, {@code 1e+06},
 * {@code 1.2345675e+06}, the code gives Python's {@code 2.0}, {@code 1000000.0}, {@code 1234567.5}.
 */
class FloatTextProperties {

    @Test
    void goFloatFormatsAsGoDoes() {
        // outputs of Go's fmt.Sprintf("%v", x), measured with a Go toolchain
        assertEquals("999999", ExprSubset.goFloat(999999));
        assertEquals("1.234567e+06", ExprSubset.goFloat(1234567));
        assertEquals("0.0001", ExprSubset.goFloat(0.0001));
        assertEquals("1e-05", ExprSubset.goFloat(0.00001));
        assertEquals("6.088634523481149e+11", ExprSubset.goFloat(608863452348.1149));
        assertEquals("1e+21", ExprSubset.goFloat(1e21));
        assertEquals("2", ExprSubset.goFloat(2.0));
    }

    @Test
    void theCasesWhereGoAndPythonDiffer() {
        assertEquals("2.0", repr(2.0));
        assertEquals("-0.0", repr(-0.0));
        assertEquals("1000000.0", repr(1e6));
        assertEquals("123456789.0", repr(123456789.0));
        assertEquals("1234567.5", repr(1234567.5));
        assertEquals("-1500000.0", repr(-1.5e6));
        assertEquals("1e+16", repr(1e16));
        assertEquals("1e-05", repr(1e-5));
        assertEquals("1.5e-07", repr(1.5e-7));
        assertEquals("0.1", repr(0.1));
        assertEquals("1000000", seconds(1e6));
        assertEquals("0.25", seconds(0.25));
        assertEquals("30", seconds(30));
        assertEquals("1234567.5", seconds(1234567.5));
        assertEquals("[1.0,2.5,1e-07,1000000.0]", jsonList(List.of(1.0, 2.5, 1e-7, 1e6)));
        assertEquals("[]", jsonList(List.of()));
        // an Int where a Float is expected (widened): Go's text of an int64 has every digit
        assertEquals("1e+17", (String) ExprSubset.eval(FloatText.repr("x"), Map.of("x", 100_000_000_000_000_000L)));
        assertEquals("[2.0,1e+17]", (String) ExprSubset.eval(FloatText.jsonList("xs"),
                Map.of("xs", List.<Object>of(2L, 100_000_000_000_000_000L))));
        assertEquals("0", seconds(-0.0));
        assertEquals("1000000000000000.0", seconds(1e15));
        assertEquals("999999999999999", seconds(999999999999999.0));
    }

    @Test
    void infinityAndNaNAreGosTextAndFailNothing() {
        // sprig.toJson of them is empty (Argo's toJson would fail the expression): both operands are computed.
        // The engine writes Go's text too (Python's float() reads it), and null inside JSON, where +Inf is no JSON
        for (double d : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            assertEquals(ValueText.floatRepr(d), repr(d));
            assertEquals(Values.text(DoubleNode.valueOf(d), IrType.DURATION), seconds(d));
            assertEquals("null", json(d, false));
            assertEquals("null", json(d, true));
        }
        assertEquals("+Inf", repr(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", repr(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", repr(Double.NaN));
        assertEquals("[1.0,null,null]", jsonList(List.of(1.0, Double.NEGATIVE_INFINITY, Double.NaN)));
        // Go's ParseFloat words, as Argo's float() and asFloat read them
        assertEquals("-Inf", (String) ExprSubset.eval(FloatText.repr("float(s)"), Map.of("s", "-infinity")));
        assertEquals("NaN", (String) ExprSubset.eval(FloatText.repr("asFloat(s)"), Map.of("s", "nan")));
    }

    @Test
    void theCodeIsOneShortArgoExpression() {
        for (String code : List.of(FloatText.repr("x"), FloatText.seconds("x"), FloatText.jsonList("xs"), FloatText.json("x", true))) {
            // Argo splits a tag at its first `?` and ends it at the first `}}`
            assertFalse(code.contains("?") || code.contains("}}"), code);
            // each computed Float is in the manifest once per use: it was 700 characters
            assertTrue(code.length() < 400, code.length() + ": " + code);
        }
    }

    @Property(tries = 400, seed = "20261127")
    void reprIsPythonsRepr(@ForAll("floats") double d) {
        assertEquals(ValueText.floatRepr(d), repr(d));
    }

    @Property(tries = 200, seed = "20261127")
    void secondsAreTheEnginesDurationText(@ForAll("floats") double d) {
        // whole seconds below 1e15 as a long (-0.0 as `0`, 1e15 as `1000000000000000.0`), as the engine writes them
        assertEquals(Values.text(DoubleNode.valueOf(d), IrType.DURATION), seconds(d));
    }

    @Property(tries = 200, seed = "20261127")
    void aFloatInJsonIsTheEnginesJson(@ForAll("floats") double d) {
        assertEquals(ValueText.json(JsonNodeFactory.instance.arrayNode().add(d), false), "[" + json(d, false) + "]");
    }

    @Property(tries = 100, seed = "20261127")
    void aListOfFloatsIsTheEnginesJson(@ForAll @Size(max = 5) List<@From("floats") Double> xs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        xs.forEach(a::add);
        assertEquals(ValueText.json(a, false), jsonList(xs));
    }

    @Provide
    Arbitrary<Double> floats() {
        // whole numbers and short decimals at every scale (where the layouts part), and arbitrary doubles
        Arbitrary<Double> scaled = Arbitraries.integers().between(-99_999, 99_999)
                .flatMap(m -> Arbitraries.integers().between(-12, 20).map(e -> Double.parseDouble(m + "e" + e)));
        Arbitrary<Double> any = Arbitraries.doubles().between(-1e300, 1e300);
        return Arbitraries.oneOf(scaled, any, Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.0, -0.0, 1e6, 999999.0, 1e15, 9.999999999999998e15, 1e16, 1e-4, 1e-5,
                Math.nextDown(1e-4), Math.nextUp(1e-4), Math.nextDown(1e16), Math.nextDown(1e15), -1e-4, 1e21, 1e-7));
    }

    private static String repr(double d) {
        return (String) ExprSubset.eval(FloatText.repr("x"), Map.of("x", d));
    }

    private static String seconds(double d) {
        return (String) ExprSubset.eval(FloatText.seconds("x"), Map.of("x", d));
    }

    private static String json(double d, boolean duration) {
        return (String) ExprSubset.eval(FloatText.json("x", duration), Map.of("x", d));
    }

    private static String jsonList(List<Double> xs) {
        return (String) ExprSubset.eval(FloatText.jsonList("xs"), Map.of("xs", new ArrayList<Object>(xs)));
    }
}
