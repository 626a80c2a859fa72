package dev.freestone.runtime.local;

import static dev.freestone.runtime.local.IrFixture.binary;
import static dev.freestone.runtime.local.IrFixture.builtin;
import static dev.freestone.runtime.local.IrFixture.concat;
import static dev.freestone.runtime.local.IrFixture.constant;
import static dev.freestone.runtime.local.IrFixture.dag;
import static dev.freestone.runtime.local.IrFixture.fieldOf;
import static dev.freestone.runtime.local.IrFixture.index;
import static dev.freestone.runtime.local.IrFixture.json;
import static dev.freestone.runtime.local.IrFixture.list;
import static dev.freestone.runtime.local.IrFixture.mapOf;
import static dev.freestone.runtime.local.IrFixture.out;
import static dev.freestone.runtime.local.IrFixture.paramRef;
import static dev.freestone.runtime.local.IrFixture.program;
import static dev.freestone.runtime.local.IrFixture.str;
import static dev.freestone.runtime.local.IrFixture.t;
import static dev.freestone.runtime.local.IrFixture.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Text forms, output parsing and the expression evaluator, without processes. */
class ValuesTest {
    static final Ir.Program PROGRAM = program(dag("p", List.of(), List.of()));

    @Test
    void floatsPrintLikePythonRepr() {
        Map<Double, String> cases = Map.ofEntries(
                Map.entry(0.1, "0.1"), Map.entry(3.0, "3.0"), Map.entry(1e-5, "1e-05"), Map.entry(1e-4, "0.0001"),
                Map.entry(1e16, "1e+16"), Map.entry(1e15, "1000000000000000.0"), Map.entry(-2.5, "-2.5"),
                Map.entry(0.1 + 0.2, "0.30000000000000004"), Map.entry(1.5e300, "1.5e+300"), Map.entry(5e-324, "5e-324"),
                Map.entry(123456789.125, "123456789.125"), Map.entry(-0.0, "-0.0"), Map.entry(2e-7, "2e-07"));
        cases.forEach((d, s) -> assertEquals(s, Values.floatRepr(d), "repr of " + d));
        // Go's text, as Argo writes a Float it computed (Python's float() reads it)
        assertEquals("+Inf", Values.floatRepr(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Values.floatRepr(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", Values.floatRepr(Double.NaN));
    }

    @Property(tries = 500)
    void floatTextReadsBackAsTheSameDouble(@ForAll double d) {
        if (Double.isFinite(d)) {
            assertEquals(d, Double.parseDouble(Values.floatRepr(d)));
        }
    }

    @Test
    void textFormsByType() {
        assertEquals("42", Values.text(json(42), t("Int")));
        assertEquals("true", Values.text(json(true), t("Bool")));
        assertEquals("30", Values.text(json(30.0), t("Duration")));
        assertEquals("0.25", Values.text(json(0.25), t("Duration")));
        assertEquals("", Values.text(null, t("String?")));
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("lr", 0.1);
        m.put("tags", List.of("a", "b"));
        assertEquals("{\"lr\":0.1,\"tags\":[\"a\",\"b\"]}", Values.text(json(m), t("Map[String, Float]")));
        Map<String, Object> unsorted = new java.util.LinkedHashMap<>();
        unsorted.put("b", 2);
        unsorted.put("a", 1);
        assertEquals("{\"a\":1,\"b\":2}", Values.canonicalJson(json(unsorted)));
    }

    @Test
    void outputsAreParsedByTheirType() throws Values.BadValue {
        assertEquals(json(12L), Values.parseOutput("12\n", t("Int"), PROGRAM));
        assertEquals(0.5, Values.parseOutput(" 0.5 \n", t("Float"), PROGRAM).doubleValue());
        assertEquals(3.0, Values.parseOutput("3", t("Float"), PROGRAM).doubleValue());
        assertTrue(Values.parseOutput("True\n", t("Bool"), PROGRAM).booleanValue());
        assertEquals("two lines\nkept ", Values.parseOutput("two lines\nkept \n", t("String"), PROGRAM).asText());
        // as Argo's executor: one "\n" dropped, a "\r" before it kept in a String and ignored in a number
        assertEquals("crlf\r", Values.parseOutput("crlf\r\n", t("String"), PROGRAM).asText());
        assertEquals(json(7L), Values.parseOutput("7\r\n", t("Int"), PROGRAM));
        assertEquals("[1.0,2.5]", Values.json(Values.parseOutput("[1, 2.5]", t("List[Float]"), PROGRAM)));
        assertTrue(Values.parseOutput("", t("Int?"), PROGRAM).isNull());
        Values.BadValue bad = assertThrows(Values.BadValue.class, () -> Values.parseOutput("12abc", t("Int"), PROGRAM));
        assertEquals("expected an Int, got `12abc`", bad.getMessage());
        // the run store keeps outputs as JSON, which has no infinity: such an output fails its step
        assertThrows(Values.BadValue.class, () -> Values.parseOutput("nan", t("Float"), PROGRAM));
        assertThrows(Values.BadValue.class, () -> Values.parseOutput("inf", t("Float"), PROGRAM));
        // float() of a text reads Go's ParseFloat words (Argo's float()), any case; not Python's signed NaN
        assertTrue(Values.goSpecialFloat("nan").isNaN());
        assertEquals(Double.NEGATIVE_INFINITY, Values.goSpecialFloat("-Infinity").doubleValue());
        assertEquals(Double.POSITIVE_INFINITY, Values.goSpecialFloat(" +INF ").doubleValue());
        assertEquals(null, Values.goSpecialFloat("-nan"));
        assertEquals(null, Values.goSpecialFloat("infin"));
        assertThrows(Values.BadValue.class, () -> Values.parseOutput("{\"a\": 1}", t("List[Int]"), PROGRAM));
    }

    private static JsonNode eval(Ir.Expr e) throws Evaluator.EvalError {
        Scope s = Scope.root(Map.of("xs", json(List.of(3, 1, 2)), "name", json("iris")), "");
        s.results.put("a", new Scope.NodeResult(TaskState.SUCCEEDED, Map.of("n", json(7))));
        s.results.put("skipped", new Scope.NodeResult(TaskState.SKIPPED, Map.of()));
        s.results.put("failed", new Scope.NodeResult(TaskState.FAILED, Map.of()));
        return new Evaluator(PROGRAM, "run-1", "p").eval(e, s);
    }

    /** Equal as values (an Int is an Int whatever its Java width). */
    private static void assertSame(JsonNode expected, JsonNode actual, String... why) {
        assertTrue(Evaluator.same(expected, actual) && expected.isNumber() == actual.isNumber()
                && expected.isIntegralNumber() == actual.isIntegralNumber(),
                "expected " + Values.json(expected) + " but was " + Values.json(actual) + " " + String.join("", why));
    }

    @Test
    void expressionsEvaluateOnRealValues() throws Evaluator.EvalError {
        assertSame(json(-4L), eval(binary("/", constant(-7, "Int"), constant(2, "Int"), "Int")));
        assertSame(json(1L), eval(binary("%", constant(-7, "Int"), constant(2, "Int"), "Int")));
        assertEquals(3.5, eval(binary("+", out("a", "n", "Int"), constant(-3.5, "Float"), "Float")).doubleValue());
        assertSame(json(true), eval(binary("==", constant(1, "Int"), constant(1.0, "Float"), "Bool")));
        assertSame(json(false), eval(unary("not", binary("<", str("a"), str("b"), "Bool"), "Bool")));
        assertSame(json(true), eval(binary("or", constant(true, "Bool"),
                binary("/", constant(1, "Int"), constant(0, "Int"), "Int"), "Bool")), "or short-circuits");
        assertSame(json("iris has 3 rows, max 3.0"), eval(concat(paramRef("name", "String"), str(" has "),
                builtin("len", "Int", paramRef("xs", "List[Int]")), str(" rows, max "),
                builtin("float", "Float", builtin("max", "Int", paramRef("xs", "List[Int]"))))));
        assertSame(json(1L), eval(builtin("min", "Int", constant(4, "Int"), constant(1, "Int"))));
        assertSame(json(2L), eval(index(paramRef("xs", "List[Int]"), constant(2, "Int"), "Int")));
        assertSame(json(0.1), eval(fieldOf(mapOf("Map[String, Float]", "lr", constant(0.1, "Float")), "lr", "Float")));
        assertSame(json("[3,1,2]"), eval(builtin("json", "String", paramRef("xs", "List[Int]"))));
        assertSame(json(12L), eval(builtin("int", "Int", str(" 12 "))));
        assertSame(json(List.of(1, 2, 3)), eval(binary("+", list("List[Int]", constant(1, "Int")),
                list("List[Int]", constant(2, "Int"), constant(3, "Int")), "List[Int]")));
        assertSame(json(7L), eval(builtin("oneof", "Int", out("skipped", "n", "Int?"), out("a", "n", "Int?"))));
        assertTrue(eval(builtin("oneof", "Int?", out("skipped", "n", "Int?"))).isNull());
    }

    @Test
    void expressionErrorsSayWhatIsWrong() {
        assertEquals("division by zero", assertThrows(Evaluator.EvalError.class,
                () -> eval(binary("/", constant(1, "Int"), constant(0, "Int"), "Int"))).getMessage());
        assertEquals("index 5 is out of range for a list of 3", assertThrows(Evaluator.EvalError.class,
                () -> eval(index(paramRef("xs", "List[Int]"), constant(5, "Int"), "Int"))).getMessage());
        assertEquals("`failed.x` is not available: `failed` failed", assertThrows(Evaluator.EvalError.class,
                () -> eval(out("failed", "x", "Int"))).getMessage());
        assertEquals("`run.status` is only known in the exit handler (`finally`)", assertThrows(Evaluator.EvalError.class,
                () -> eval(IrFixture.runField("status"))).getMessage());
        assertEquals("Int overflow in `*`", assertThrows(Evaluator.EvalError.class,
                () -> eval(binary("*", constant(Long.MAX_VALUE, "Int"), constant(2, "Int"), "Int"))).getMessage());
    }

    @Test
    void fanOutKeepsIndexOrderAndItsLimit() {
        java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<Integer> out = Execution.fanOut(200, 3, i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                peak.accumulateAndGet(live.incrementAndGet(), Math::max);
                try {
                    Thread.sleep((i * 7) % 5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                live.decrementAndGet();
                return i;
            }, pool)).join();
            assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), out);
            assertTrue(peak.get() <= 3, "peak " + peak.get());
            // completions on the calling thread (already done futures) must not recurse without bound
            assertEquals(100_000, Execution.fanOut(100_000, 1, java.util.concurrent.CompletableFuture::completedFuture).join().size());
        } finally {
            pool.shutdownNow();
        }
    }
}
