package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;

/**
 * Hover and inlay hints show a value declared {@code T?} as the checker sees it at each use: a {@code T} inside the
 * {@code if} that tests it for null, a {@code T?} in the test itself and after the {@code if}.
 */
class NarrowedTypesTest extends OneFileSession {
    static final String TEXT = """
            struct Cfg {
              note: String?
            }

            component count(data: Dataset, tag: String?) -> (rows: Int) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "wc -l < $0 > $2", data, tag, rows]
            }

            pipeline p(extra: Dataset? = null, cfg: Cfg = Cfg(note = null)) -> (rows: Int?) {
              if extra != null && cfg.note != null {
                label = cfg.note
                c = count(data = extra, tag = label)
              }
              after_if = cfg.note
              output rows = c.rows
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    private String hover(String needle, int nth, int shift) {
        return LanguageServerTest.hoverText(client.hover(uri, LanguageServerTest.pos(TEXT, needle, nth, shift)));
    }

    /** The hover's first line is {@code line}: a {@code T} is not shown as a {@code T?}. */
    private static void shows(String hover, String line) {
        assertEquals(line, hover.lines().filter(l -> l.startsWith("(")).findFirst().orElse(hover), hover);
    }

    @Test
    void aUseInsideTheIfThatTestsItIsShownWithoutTheQuestionMark() {
        assertEquals(List.of(), client.awaitDiagnostics(uri, 0).getDiagnostics().stream()
                .filter(d -> d.getCode().getLeft().startsWith("E")).toList());
        shows(hover("extra != null", 0, 1), "(input of p) extra: Dataset? = null");
        shows(hover("data = extra", 0, 8), "(input of p) extra: Dataset = null");
        shows(hover("label = cfg.note", 0, 13), "(field of Cfg) note: String");
        shows(hover("after_if = cfg.note", 0, 16), "(field of Cfg) note: String?");

        List<InlayHint> hints = client.inlayHints(uri, new Range(new Position(0, 0), new Position(20, 0)));
        assertEquals(List.of("11:9 : String", "14:10 : String?"), hints.stream()
                .map(h -> h.getPosition().getLine() + ":" + h.getPosition().getCharacter() + " " + h.getLabel().getLeft())
                .toList());
    }
}
