package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.pos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightKind;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.lsp4j.FoldingRangeKind;
import org.junit.jupiter.api.Test;

/**
 * What an editor asks as the cursor moves and as a file opens: the uses of the name under the cursor in this file
 * (its declaration marked as written), and the regions that fold.
 */
class HighlightsAndFoldsTest extends OneFileSession {
    static final String TEXT = """
            import "stdlib/util"

            // Trains one model per learning rate
            // and keeps the best.

            /// Trains a model.
            component train(data: Dataset, lr: Float) -> (model: Model, accuracy: Float) {
              image   = "python:3.12-slim"
              command = [
                "train", data, "${lr}",
                model, accuracy,
              ]
            }

            component fetch(url: String) -> (data: Dataset) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", "-o", data, url]
            }

            pipeline fit(url: String, lrs: List<Float> = [0.1, 0.01]) {
              raw = fetch(url = url)
              for lr in lrs {
                m = train(data = raw.data, lr = lr)
              }
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    private static List<String> lines(List<? extends DocumentHighlight> hs) {
        return hs.stream().map(h -> h.getRange().getStart().getLine() + ":" + h.getRange().getStart().getCharacter() + " "
                + (h.getKind() == DocumentHighlightKind.Write ? "write" : "read")).toList();
    }

    @Test
    void theUsesOfANameInThisFile() {
        // the pipeline's `url` input: declared on line 19, read in `fetch(url = url)` on line 20
        List<? extends DocumentHighlight> url = client.highlights(uri, pos(TEXT, "url: String, lrs", 0, 1));
        assertEquals(List.of("19:13 write", "20:20 read"), lines(url));
        // from the use, the same places
        assertEquals(lines(url), lines(client.highlights(uri, pos(TEXT, "url = url", 0, 7))));

        // the loop variable, not the component's parameter of the same name
        List<? extends DocumentHighlight> lr = client.highlights(uri, pos(TEXT, "for lr", 0, 5));
        assertEquals(List.of("21:6 write", "22:36 read"), lines(lr));

        // the component's input `lr`: its declaration, its use in the command, the named argument at the call
        List<String> input = lines(client.highlights(uri, pos(TEXT, "lr: Float", 0, 0)));
        assertEquals(List.of("6:31 write", "9:22 read", "22:31 read"), input);

        assertTrue(client.highlights(uri, pos(TEXT, "python:3.12", 0, 2)).isEmpty(), "a string has no uses");
    }

    @Test
    void declarationsBlocksCallsAndCommentsFold() {
        List<String> folds = client.folds(uri).stream().map(f -> f.getStartLine() + "-" + f.getEndLine()
                + (f.getKind() == null ? "" : " " + f.getKind())).toList();
        assertEquals(List.of(
                "2-3 " + FoldingRangeKind.Comment, // two comment lines; the one-line doc comment does not fold
                "6-11",   // component train: up to the line before its `}`
                "8-10",   // the command list over four lines
                "14-16",  // component fetch
                "19-23",  // pipeline fit
                "21-22"), // the loop's body
                folds);
    }
}
