package dev.freestone.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A diagnostic on a line of megabytes (generated, minified, or a file of one line) quotes the line around
 * its place, with its carets under the place; it once printed the whole line, 50 MB on the terminal.
 */
class LongLineRenderingTest {
    private static List<String> render(String text, int start, int end) {
        Source source = new Source("long.pipe", text);
        Diagnostic d = Diagnostic.of(Code.E0001, Span.of(source, start, end), "unexpected `x`");
        return new Renderer(false).render(d).lines().toList();
    }

    /** The quoted line and the caret line: the carets sit under {@code place}. */
    private static void assertUnder(List<String> lines, String place) {
        String quoted = lines.get(3);
        String carets = lines.get(4);
        int at = carets.indexOf('^');
        assertEquals(place, quoted.substring(at, at + place.length()), String.join("\n", lines));
        assertEquals(place.length(), carets.length() - at, String.join("\n", lines));
    }

    @Test
    void aPlaceDeepInAHugeLineIsQuotedAroundIt() {
        String text = "// " + "a".repeat(1_000_000) + "XYZ" + "b".repeat(1_000_000) + "\n";
        int at = 3 + 1_000_000;
        List<String> lines = render(text, at, at + 3);
        assertTrue(lines.stream().allMatch(l -> l.length() < Renderer.MAX_QUOTED + 20), String.join("\n", lines));
        assertTrue(lines.get(3).contains("…aaaa") && lines.get(3).endsWith("bbb…"), lines.get(3));
        assertTrue(lines.get(1).endsWith("long.pipe:1:" + (at + 1)), lines.get(1));
        assertUnder(lines, "XYZ");
    }

    @Test
    void aPlaceAtTheStartOrEndOfAHugeLineIsCutOnOneSideOnly() {
        String text = "XYZ" + "a".repeat(5_000);
        List<String> first = render(text, 0, 3);
        assertTrue(first.get(3).endsWith("aaa…") && !first.get(3).contains("…a"), first.get(3));
        assertUnder(first, "XYZ");
        String tail = "a".repeat(5_000) + "XYZ";
        List<String> last = render(tail, 5_000, 5_003);
        assertTrue(last.get(3).endsWith("aXYZ") && last.get(3).contains("…a"), last.get(3));
        assertUnder(last, "XYZ");
    }

    @Test
    void aLongSpanIsUnderlinedAsFarAsItIsQuoted() {
        String text = "x".repeat(10_000);
        List<String> lines = render(text, 100, 9_000);
        assertTrue(lines.get(3).length() < Renderer.MAX_QUOTED + 20, lines.get(3));
        assertTrue(lines.get(4).trim().matches("\\|\\s+\\^+"), lines.get(4));
    }

    @Test
    void aLineOfOrdinaryLengthIsQuotedWhole() {
        String text = "pipeline p() { " + "y".repeat(300) + " }";
        List<String> lines = render(text, 15, 18);
        assertEquals("1 | " + text, lines.get(3));
        assertUnder(lines, "yyy");
    }
}
