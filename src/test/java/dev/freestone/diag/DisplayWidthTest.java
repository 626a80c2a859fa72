package dev.freestone.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The terminal columns a text takes, by which carets are placed and the CLI's tables padded. */
class DisplayWidthTest {
    @Test
    void wideCharactersTakeTwoColumnsMarksAndControlsNone() {
        assertEquals(4, Renderer.displayWidth("한국"));
        assertEquals(4, Renderer.displayWidth("\uFF21\uFF22"));          // full-width AB
        assertEquals(2, Renderer.displayWidth("\u3000"));                // ideographic space
        assertEquals(1, Renderer.displayWidth("\u303F"));                // just past the CJK symbols' wide block
        assertEquals(2, Renderer.displayWidth("\uD83D\uDE80"));          // an emoji, a surrogate pair
        assertEquals(3, Renderer.displayWidth("e\u0301t\u00e9"));        // a combining accent takes none
        assertEquals(2, Renderer.displayWidth("a\u200Db"));              // nor a zero-width joiner
        assertEquals(3, Renderer.displayWidth("Ωx\u00AD"));              // a soft hyphen shows
        assertEquals(2, Renderer.displayWidth("a\u001bb"));              // a control character none
    }
}
