package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** How many terminal columns a table cell takes where it is printed: what {@code Cli.table} pads by. */
class StandardOutTest {
    @Test
    void onATerminalTextIsMeasuredAsItShows() {
        PrintWriter plain = new PrintWriter(new StringWriter());
        PrintWriter shown = StandardOut.forText(plain);
        assertEquals(2, StandardOut.columns("a\u001bb", plain));
        assertEquals(4, StandardOut.columns("a\u001bb", shown));       // a^[b
        assertEquals(10, StandardOut.columns("a\u202Eb", shown));      // a<U+202E>b
        assertEquals(4, StandardOut.columns("日本", shown));
    }
}
