package dev.freestone.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.IrFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IrJsonTest {

    static Ir.Program sample() {
        IrFixture fx = new IrFixture();
        Ir.Component say = fx.component("say").in("message", "String").in("n", "Int", 2).out("echoed", "String")
                .command("echo", List.of("-n=", IrFixture.val("n")), IrFixture.val("message"), IrFixture.out("echoed"))
                .build();
        Ir.Dag root = IrFixture.dag("héllo", List.of(IrFixture.param("cfg", "Map[String, Float]", Map.of("b", 1.5, "a", 0.25))),
                List.of(IrFixture.output("greeting", "String", IrFixture.o("greet", "echoed", "String"))),
                List.of(IrFixture.task("greet", say).in("message", IrFixture.cat(IrFixture.str("hi ☃ "),
                        IrFixture.c(null, "String?"))).in("n", IrFixture.c(3, "Int")).done()), List.of());
        return fx.program(root);
    }

    @Test
    void roundTripGivesAnEqualProgram() {
        Ir.Program p = sample();
        assertEquals(p, IrJson.read(IrJson.canonical(p)));
        assertEquals(p, IrJson.read(IrJson.pretty(p)));
    }

    @Test
    void bytesAreStable() {
        Ir.Program p = sample();
        byte[] a = IrJson.canonicalBytes(p);
        byte[] b = IrJson.canonicalBytes(IrJson.read(IrJson.pretty(p)));
        assertArrayEquals(a, b);
        String text = new String(a, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n") && !text.substring(0, text.length() - 1).contains("\n"), "one line, one newline");
        assertTrue(text.contains("\"a\":0.25,\"b\":1.5"), "object keys inside constants are sorted: " + text);
        assertTrue(text.startsWith("{\"apiVersion\":\"freestone.dev/v1\",\"name\":"), "records in declaration order");
        assertTrue(text.contains("☃"), "UTF-8, not escaped");
        assertEquals(IrJson.sha256(p), IrJson.sha256(IrJson.read(text)));
        assertEquals(64, IrJson.sha256(p).length());
    }

    @Test
    void prettyIsIndentedByTwoSpaces() {
        String pretty = IrJson.pretty(sample());
        assertTrue(pretty.startsWith("{\n  \"apiVersion\": \"freestone.dev/v1\",\n"), pretty.substring(0, 60));
        assertTrue(pretty.endsWith("}\n"));
    }

    @Test
    void componentDigestIgnoresTheDigestField() {
        Ir.Component c = sample().components().values().iterator().next();
        assertEquals(c.digest(), IrJson.componentDigest(c));
        Ir.Component renamed = new Ir.Component("whatever", "other", c.module(), c.inputs(), c.outputs(), c.image(),
                c.command(), c.script(), c.env(), c.settings(), c.resource(), c.doc());
        assertNotEquals(c.digest(), IrJson.componentDigest(renamed));
    }

    @Test
    void mapOrderDoesNotChangeTheHash() {
        Ir.Program p = sample();
        // a second component, so that an order can differ at all
        IrFixture fx = new IrFixture();
        Ir.Component other = fx.component("aardvark").in("x", "Int").command("true").build();
        TreeMap<String, Ir.Component> natural = new TreeMap<>(p.components());
        natural.put(other.digest(), other);
        TreeMap<String, Ir.Component> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(natural);
        assertNotEquals(List.copyOf(natural.keySet()), List.copyOf(reversed.keySet()));
        Ir.Program q = new Ir.Program(p.apiVersion(), p.name(), p.sourceFile(), p.sourceDigest(), p.root(),
                p.pipelines(), natural, p.structs(), p.artifactTypes());
        Ir.Program r = new Ir.Program(p.apiVersion(), p.name(), p.sourceFile(), p.sourceDigest(), p.root(),
                p.pipelines(), reversed, p.structs(), p.artifactTypes());
        assertEquals(IrJson.canonical(q), IrJson.canonical(r));
        assertEquals(IrJson.sha256(q), IrJson.sha256(r));
        assertNotEquals(IrJson.sha256(p), IrJson.sha256(q), "the second component is in the hash");
    }

    @Test
    void badJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> IrJson.read("{\"apiVersion\": 1, \"nope\": true}"));
    }
}
