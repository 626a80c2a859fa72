package dev.freestone.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Source;
import org.junit.jupiter.api.Test;

/** What {@code fmt --check} relies on. */
class FormatterTest {

    @Test
    void aFileWithSyntaxErrorsIsNotFormatted() {
        Formatter.Result r = Formatter.formatSource(new Source("bad.pipe", "pipeline p() { x = }"));
        assertFalse(r.ok());
        assertNull(r.formatted());
        assertFalse(r.changed());
        assertEquals(Code.E0001, r.diagnostics().get(0).code());
    }

    @Test
    void changedTellsWhetherTheTextWouldChange() {
        Formatter.Result messy = Formatter.formatSource(new Source("a.pipe", "pipeline p(){x=f( a=1 )}"));
        assertTrue(messy.changed());
        assertEquals("pipeline p() {\n  x = f(a = 1)\n}\n", messy.formatted());
        Formatter.Result clean = Formatter.formatSource(new Source("a.pipe", messy.formatted()));
        assertFalse(clean.changed());
    }

    @Test
    void emptyAndCommentOnlyFiles() {
        assertEquals("", Formatter.formatSource(new Source("e.pipe", "\n\n  \n")).formatted());
        assertEquals("// just this\n", Formatter.formatSource(new Source("c.pipe", "\n\n// just this   ")).formatted());
    }
}
