package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What completion knows of the cursor from the text alone; {@code |} marks the cursor. */
class CursorContextTest {
    static CursorContext at(String marked) {
        int cursor = marked.indexOf('|');
        return CursorContext.at(marked.substring(0, cursor) + marked.substring(cursor + 1), cursor);
    }

    @Test
    void stringsAndCommentsAreNotCode() {
        assertTrue(at("x = f(a = \"he|llo\")").inStringOrComment());
        assertTrue(at("// a comment |\nx = 1").inStringOrComment());
        assertTrue(at("/* a | block */").inStringOrComment());
        assertTrue(at("script = python \"\"\"\n  import |os\n\"\"\"").inStringOrComment());
        assertTrue(at("/// doc |").inStringOrComment());
        // an unterminated string ends at the line's end, as in the lexer
        assertFalse(at("x = \"open\ny = |").inStringOrComment());
        // after a closed block comment, string or triple string: code again
        assertFalse(at("/* c */ x = \"s\" + \"\"\"t\"\"\" + |").inStringOrComment());
    }

    @Test
    void anInterpolationIsCode() {
        CursorContext c = at("x = say(message = \"hello ${fit.|}\")");
        assertFalse(c.inStringOrComment());
        assertEquals("fit", c.dotTarget());
        assertTrue(at("x = \"${a} and |\"").inStringOrComment());
    }

    @Test
    void afterADot() {
        CursorContext c = at("best = pick(scores = fit.acc|)");
        assertEquals("fit", c.dotTarget());
        assertEquals("acc", c.prefix());
        assertNull(at("x = fit|").dotTarget());
        assertEquals("fit", at("x = fit|").prefix());
    }

    @Test
    void insideACall() {
        CursorContext c = at("m = lib.train(data = raw.data, lr = 0.1, |)");
        assertEquals(new CursorContext.Call("lib", "train", Set.of("data", "lr"), true, null, 2), c.call());
        CursorContext value = at("m = train(data = |)");
        assertEquals("train", value.call().callee());
        assertFalse(value.call().atArgumentName());
        // the argument whose value is being written: by its name, wherever it stands
        assertEquals("lr", at("m = train(data = d, lr = f(1, 2)|)").call().current());
        // a nested call or list does not end the outer one; `==` is no argument
        CursorContext outer = at("m = train(data = f(x = 1), flags = [1, 2], ok = a == b, |");
        assertEquals(new CursorContext.Call(null, "train", Set.of("data", "flags", "ok"), true, null, 3), outer.call());
        // a call inside an interpolation inside a call
        assertEquals("g", at("f(a = \"${g(|)}\")").call().callee());
        // a parenthesized expression is no call
        assertNull(at("x = (1 + |").call());
    }

    @Test
    void typesAreWrittenInDeclarations() {
        assertTrue(at("component c(a: |").typePosition());
        assertTrue(at("pipeline p(a: Int, b: List[|").typePosition());
        assertTrue(at("component c(a: Int) -> (m: |").typePosition());
        assertTrue(at("struct S {\n  a: |").typePosition());
        assertNull(at("component c(a: |").call(), "a parameter list is no call");
        assertTrue(at("pipeline p(m: Map[String, |").typePosition());
        assertFalse(at("pipeline p(rates: List[Float] = [0.1, |").typePosition(), "a default's list is no type");
        assertFalse(at("pipeline p() { x = xs[|").typePosition(), "an index is no type");
        assertFalse(at("x = f(m = {k: |})").typePosition(), "a map literal's key is no type");
    }
}
