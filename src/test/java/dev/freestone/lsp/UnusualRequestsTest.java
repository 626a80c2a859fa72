package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.MAIN;
import static dev.freestone.lsp.LanguageServerTest.pos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an editor may send that the happy path does not: positions outside the text, edits with ranges
 * outside it, requests about documents that were closed or never opened, and documents that are not
 * {@code .pipe} files on disk. Each is answered (with nothing where there is nothing to say), and the
 * server logs no failure.
 */
class UnusualRequestsTest {
    static final String BROKEN = "pipeline p() {\n  x = nope(a = 1)\n}\n";

    @TempDir
    Path dir;
    LspClient client;
    String mainUri;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("lib.pipe"), LanguageServerTest.LIB);
        mainUri = LspClient.uri(dir.resolve("main.pipe"));
        client = LspClient.inProcess(Duration.ZERO);
    }

    @AfterEach
    void stop() {
        List<?> errors = client.errorLogs();
        client.close();
        assertEquals(List.of(), errors, "the server logged no failure");
    }

    @Test
    void positionsOutsideTheTextAnswerAsAtTheNearestPlaceInIt() {
        client.open(mainUri, MAIN);
        client.awaitDiagnostics(mainUri, 1);
        // past the end of a line: its end, just after the alias `lib` of the first line
        Position endOfImport = pos(MAIN, " as lib", 0, 7);
        assertEquals(client.hover(mainUri, endOfImport), client.hover(mainUri, new Position(0, 1000)));
        assertNotNull(client.hover(mainUri, new Position(0, Integer.MAX_VALUE)));
        assertEquals(client.definition(mainUri, endOfImport), client.definition(mainUri, new Position(0, 1000)));
        // before the start: the start of the line, or of the text
        assertEquals(client.hover(mainUri, new Position(9, 0)), client.hover(mainUri, new Position(9, -4)));
        assertEquals(client.completion(mainUri, new Position(0, 0)).size(), client.completion(mainUri, new Position(-1, -1)).size());
        // past the last line: the end of the text, where no name is
        Position far = new Position(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertNull(client.hover(mainUri, far));
        assertEquals(List.of(), client.definition(mainUri, far));
        assertEquals(List.of(), client.references(mainUri, far, true));
        assertEquals(client.completion(mainUri, pos(MAIN, "}\n", 2, 2)).size(), client.completion(mainUri, far).size());
    }

    @Test
    void editsWithRangesOutsideTheTextAreClampedToIt() {
        client.open(mainUri, MAIN);
        client.awaitDiagnostics(mainUri, 1);
        // a range that starts before the text: inserted at its start, and the file stays clean
        int v = client.edit(mainUri, new Range(new Position(-3, -3), new Position(-1, 0)), "// a note\n");
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, v).getDiagnostics());
        // a range past the end and backwards: inserted at the end, where it is a syntax error
        v = client.edit(mainUri, new Range(new Position(500, 3), new Position(2, 0)), "oops(");
        PublishDiagnosticsParams p = client.awaitDiagnostics(mainUri, v);
        assertEquals(List.of("E0001"), p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).distinct().toList());
        assertEquals(MAIN.split("\n").length + 1, p.getDiagnostics().get(0).getRange().getStart().getLine());
    }

    @Test
    void aClosedOrNeverOpenedDocumentHasNothingToSay() {
        client.open(mainUri, MAIN);
        client.awaitDiagnostics(mainUri, 1);
        client.close(mainUri);
        String never = LspClient.uri(dir.resolve("never.pipe"));
        for (String uri : List.of(mainUri, never)) {
            Position at = pos(MAIN, "raw.data", 0, 1);
            assertNull(client.hover(uri, at));
            assertEquals(List.of(), client.definition(uri, at));
            assertEquals(List.of(), client.references(uri, at, true));
            assertEquals(List.of(), client.completion(uri, at));
            assertEquals(List.of(), client.symbols(uri));
            assertEquals(List.of(), client.format(uri));
            // edits and closes of a document that is not open are ignored
            client.change(uri, "pipeline (");
            client.close(uri);
        }
        // and the server still serves
        client.open(mainUri, MAIN);
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, 1).getDiagnostics());
    }

    @Test
    void documentsThatAreNotPipeFilesOnDiskAreCheckedFromTheirText() {
        List<String> uris = List.of(
                "untitled:Untitled-1",                          // an unsaved buffer
                LspClient.uri(dir.resolve("notes.txt")),         // another extension
                LspClient.uri(dir),                              // a directory
                "https://example.com/p.pipe",                     // another scheme
                "file://server/share/p.pipe",                    // a host, which a local path cannot have
                "file:p.pipe",                                   // not hierarchical
                "not a uri");
        for (String uri : uris) {
            client.open(uri, BROKEN);
            PublishDiagnosticsParams p = client.awaitDiagnostics(uri, 1);
            assertEquals(List.of("E0104"), p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList(), uri);
            assertEquals(List.of("p"), client.symbols(uri).stream().map(DocumentSymbol::getName).toList(), uri);
            Position at = pos(BROKEN, "p()", 0, 0);
            assertNotNull(client.hover(uri, at), uri);
            assertEquals(1, client.definition(uri, at).size(), uri);
            client.completion(uri, pos(BROKEN, "nope", 0, 0));
            client.format(uri);
            client.close(uri);
        }
    }
}
