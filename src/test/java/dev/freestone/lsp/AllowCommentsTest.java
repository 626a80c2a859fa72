package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;

/** Completion and hover over the warnings' names written after {@code freestone:allow} in a comment. */
class AllowCommentsTest extends OneFileSession {
    static final String TEXT = """
            component c(lr: Float) -> (out: Dataset) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo $0 > $1", "${lr}", out]
            }

            pipeline p(lr: Float = 0.1) {
              // freestone:allow unused-step, unu
              s = c(lr = lr)
              t = c(lr = lr) // freestone:allow W0001 unused-
              /* freestone:allow unused-stpe */
              // a plain comment about unused steps
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    private static Position at(String needle, int shift) {
        return LanguageServerTest.pos(TEXT, needle, 0, shift);
    }

    private static List<String> labels(List<CompletionItem> items) {
        return items.stream().map(CompletionItem::getLabel).toList();
    }

    @Test
    void completesTheLintNamesAComment_DoesNotNameYet() {
        List<CompletionItem> items = client.completion(uri, at(", unu", 5));
        List<String> labels = labels(items);
        assertFalse(labels.contains("unused-step"), "already named in this comment: " + labels);
        assertTrue(labels.containsAll(List.of("unused-param", "unused-import", "unused-value", "missing-dollar")), labels.toString());
        CompletionItem param = items.get(labels.indexOf("unused-param"));
        assertEquals("W0002: parameter `…` is never used", param.getDetail());
        // the edit replaces the whole word written so far, `-` included
        TextEdit edit = param.getTextEdit().getLeft();
        assertEquals(LanguageServerTest.range(TEXT, "unu", 1), edit.getRange());
        assertEquals("unused-param", edit.getNewText());
    }

    @Test
    void aWordEndingInADashIsReplacedWhole_AndACodeCountsAsItsName() {
        List<CompletionItem> items = client.completion(uri, at("W0001 unused-", 13));
        List<String> labels = labels(items);
        assertFalse(labels.contains("unused-step"), "W0001 names it already: " + labels);
        TextEdit edit = items.get(labels.indexOf("unused-value")).getTextEdit().getLeft();
        Position start = at("W0001 unused-", 6);
        assertEquals(new Range(start, new Position(start.getLine(), start.getCharacter() + "unused-".length())), edit.getRange());
    }

    @Test
    void completesRightAfterTheMarkerAndItsSpace_ButNotInOtherComments() {
        assertTrue(labels(client.completion(uri, at("allow unused-step,", 6))).contains("shadowed-name"));
        assertEquals(List.of(), client.completion(uri, at("allow unused-step,", 5)), "`allowunused-step` would be no marker");
        assertEquals(List.of(), client.completion(uri, at("about unused", 8)));
    }

    @Test
    void completesInAHalfWrittenFile() {
        String half = TEXT.replace("  s = c(lr = lr)\n", "  s = c(lr = \n");
        int v = client.change(uri, half);
        assertFalse(client.awaitDiagnostics(uri, v).getDiagnostics().isEmpty());
        Position p = LanguageServerTest.pos(half, ", unu", 0, 5);
        assertTrue(labels(client.completion(uri, p)).contains("unused-param"));
    }

    @Test
    void hoverSaysWhichWarningANameSilences() {
        Hover h = client.hover(uri, at("unused-step,", 3));
        assertNotNull(h);
        String md = h.getContents().getRight().getValue();
        assertTrue(md.startsWith("`unused-step` (W0001): silences the warning \"step `…` is never used\""), md);
        assertEquals(LanguageServerTest.range(TEXT, "unused-step", 0), h.getRange());
        Hover code = client.hover(uri, at("W0001", 2));
        assertNotNull(code);
        assertTrue(code.getContents().getRight().getValue().startsWith("`unused-step` (W0001)"));
        // a misspelt name has its W0007 diagnostic, and no hover that would read as if it worked
        assertNull(client.hover(uri, at("unused-stpe", 3)));
    }
}
