package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.LIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.DidChangeWatchedFilesCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data scientist writing a pipeline in a new file, an edit at a time, the way an editor sends it
 * (incremental changes at the cursor, no closing brace typed yet), with a components file beside it.
 */
class EditingSessionTest {
    static final Set<String> DECLARATION_KEYWORDS = Set.of("import", "component", "pipeline", "struct", "artifact");

    @TempDir
    Path dir;
    LspClient client;
    String uri;
    String text = "";

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("lib.pipe"), LIB);
        uri = LspClient.uri(dir.resolve("main.pipe"));
        client = LspClient.inProcess(Duration.ZERO);
        client.open(uri, "");
        client.awaitDiagnostics(uri, 1);
    }

    @AfterEach
    void stop() {
        List<?> errors = client.errorLogs();
        client.close();
        assertEquals(List.of(), errors, "the server logged no failure");
    }

    /** Types {@code more} at the end of the text, as one edit, and waits for its diagnostics. */
    void type(String more) {
        Position end = end();
        text += more;
        client.awaitDiagnostics(uri, client.edit(uri, new Range(end, end), more));
    }

    Position end() {
        dev.freestone.diag.Source s = new dev.freestone.diag.Source("x", text);
        return new Position(s.lineCount() - 1, s.line(s.lineCount()).length());
    }

    Set<String> completionAtEnd() {
        return client.completion(uri, end()).stream().map(CompletionItem::getLabel).collect(Collectors.toSet());
    }

    static List<String> codes(PublishDiagnosticsParams p) {
        return p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList();
    }

    @Test
    void anErrorInAnImportedFileShowsOnTheImportSoTheImporterIsNotGreenWhileCheckFails() throws IOException {
        Path lib = dir.resolve("lib.pipe");
        String libUri = LspClient.uri(lib);
        String broken = LIB.replace("\"${epochs}\"", "\"${epochs}\", nope");
        Files.writeString(lib, broken);
        String main = "import \"./lib.pipe\" as lib\n\npipeline p(d: Dataset) {\n  lib.train(data = d, lr = 0.1)\n}\n";
        int v = client.change(uri, main);
        PublishDiagnosticsParams p = client.awaitDiagnostics(uri, v);
        assertEquals(List.of("E0101"), codes(p), p.toString());
        Diagnostic shown = p.getDiagnostics().get(0);
        assertEquals(LanguageServerTest.range(main, "\"./lib.pipe\"", 0), shown.getRange());
        assertEquals(DiagnosticSeverity.Error, shown.getSeverity());
        Position nope = LanguageServerTest.pos(broken, "nope", 0, 0);
        assertTrue(shown.getMessage().startsWith("`./lib.pipe` has an error: unknown name `nope` at lib.pipe:"
                + (nope.getLine() + 1) + ":" + (nope.getCharacter() + 1)), shown.getMessage());
        // the place itself, one click away
        assertEquals(List.of(libUri), shown.getRelatedInformation().stream().map(r -> r.getLocation().getUri()).toList());
        assertEquals(LanguageServerTest.range(broken, "nope", 0), shown.getRelatedInformation().get(0).getLocation().getRange());

        // opened and fixed in its tab: the importer is clean, nothing stale is left
        client.open(libUri, broken);
        assertEquals(List.of("E0101"), codes(client.awaitDiagnostics(libUri, 1)));
        int lv = client.change(libUri, LIB);
        assertEquals(List.of(), client.awaitDiagnostics(libUri, lv).getDiagnostics());
        v = client.change(uri, main + "\n");
        assertEquals(List.of(), client.awaitDiagnostics(uri, v).getDiagnostics());

        // closed unsaved: the broken file on disk is what the importer reads again
        client.close(libUri);
        v = client.change(uri, main);
        assertEquals(List.of("E0101"), codes(client.awaitDiagnostics(uri, v)));
    }

    @Test
    void anImportCycleThroughAFileThatIsNotOpenShowsInTheOpenFile() throws IOException {
        Files.writeString(dir.resolve("b.pipe"), "import \"./main.pipe\" as m\n");
        String main = "import \"./b.pipe\" as b\n\npipeline p() {\n}\n";
        Files.writeString(dir.resolve("main.pipe"), main);
        int v = client.change(uri, main);
        List<Diagnostic> errors = client.awaitDiagnostics(uri, v).getDiagnostics().stream()
                .filter(d -> d.getSeverity() == DiagnosticSeverity.Error).toList();
        assertEquals(List.of("E0107"), errors.stream().map(d -> d.getCode().getLeft()).toList(), errors.toString());
        assertTrue(errors.get(0).getMessage().startsWith("`./b.pipe` has an error: import cycle: "), errors.get(0).getMessage());
    }

    @Test
    void formattingACrlfDocumentGivesTheClisTextAndNoEditOnceFormatted() throws IOException {
        // CRLF, a tab, CJK and an emoji: what a Windows checkout of a team's file may hold
        String messy = "pipeline p(note: String = \"中文 😀\")   {\r\n\tx=len(note)\r\n  output_ = 1 // ok\r\n}\r\n";
        Path file = dir.resolve("w.pipe");
        Files.writeString(file, messy);
        String wUri = LspClient.uri(file);
        client.open(wUri, messy);
        client.awaitDiagnostics(wUri, 1);
        List<? extends TextEdit> edits = client.format(wUri);
        assertEquals(1, edits.size());
        String viaLsp = LanguageServerTest.apply(messy, edits.get(0));

        assertEquals(0, CliRun.of("fmt", file.toString()).code());
        assertEquals(Files.readString(file), viaLsp, "the editor's Format Document and `freestone fmt` agree");
        assertTrue(viaLsp.contains("\r\n") && !viaLsp.replace("\r\n", "").contains("\n"), viaLsp);

        int v = client.change(wUri, viaLsp);
        client.awaitDiagnostics(wUri, v);
        assertEquals(List.of(), client.format(wUri), "formatting a formatted file changes nothing");
    }

    @Test
    void aTypeFromAnImportOffersItsTypesAndAValueItsComponents() {
        type("import \"./lib.pipe\" as lib\n\npipeline fit(cfg: lib.");
        assertEquals(Set.of("Config"), completionAtEnd(), "a parameter's type: no component");
        type("Config, xs: List[lib.");
        assertEquals(Set.of("Config"), completionAtEnd());
        type("Config]) {\n  m = lib.");
        assertEquals(Set.of("Config", "train"), completionAtEnd());
    }

    @Test
    void aWithBlockOffersTheSettingsOfItsOwner_AndAStepsHoverSaysWhichMutexItHolds() {
        type("component c(x: String) {\n  image = \"alpine:3.20\"\n  command = [\"echo\", x]\n  mutex = \"gpu\"\n}\n\n"
                + "pipeline p() with { ");
        assertEquals(Set.of("mutex", "timeout"), completionAtEnd(), "a pipeline's own `with` holds what holds for all of it");
        type("mutex = \"deploy\"  timeout = 90m } {\n  s = c(x = \"a\") with {\n    ");
        Set<String> call = completionAtEnd();
        assertTrue(call.containsAll(Set.of("mutex", "retry", "timeout", "image", "env")), call.toString());
        assertFalse(call.contains("command") || call.contains("x") || call.contains("for"), call.toString());
        type("mutex = [\"gpu\", \"warehouse\"]\n  }\n  t = c(x = \"b\") after s\n}\n");
        String step = client.hover(uri, LanguageServerTest.pos(text, "s = c", 0, 0)).getContents().getRight().getValue();
        assertTrue(step.contains("Holds mutex `gpu`, `warehouse` while it runs"), step);
        String other = client.hover(uri, LanguageServerTest.pos(text, "t = c", 0, 0)).getContents().getRight().getValue();
        assertTrue(other.contains("Holds mutex `gpu` while it runs: it waits while another step or run holds it."), other);
        String pipeline = client.hover(uri, LanguageServerTest.pos(text, "p()", 0, 0)).getContents().getRight().getValue();
        assertTrue(pipeline.contains("Holds mutex `deploy` while it runs"), pipeline);
        assertTrue(pipeline.contains("A run of it stops after 90m (its `timeout`): its running steps are stopped and fail,"
                + " its `finally` block still runs."), pipeline);
    }

    @Test
    void aComponentsBodyOffersItsSettingsAtALinesStartAndItsInputsInAValue() {
        type("component c(x: String) -> (y: String) {\n  ");
        Set<String> settings = completionAtEnd();
        assertTrue(settings.containsAll(Set.of("image", "command", "script", "resources", "retry", "timeout", "env", "shm", "mutex")),
                settings.toString());
        assertFalse(settings.contains("x") || settings.contains("output") || settings.contains("for"), settings.toString());
        type("image = \"alpine:3.20\"\n  command = [\"echo\", ");
        Set<String> value = completionAtEnd();
        assertTrue(value.containsAll(Set.of("x", "y")), value.toString());
        assertFalse(value.contains("image"), value.toString());
        assertTrue(value.containsAll(Set.of("true", "false", "not")), value.toString());
        assertFalse(value.contains("for") || value.contains("output") || value.contains("finally"),
                "a component has no statements: " + value);
    }

    @Test
    void aStructFieldsNameIsNewAndItsTypeIsATypeName() {
        type("struct Config {\n  ");
        assertEquals(Set.of(), completionAtEnd(), "a field's name is new: nothing to offer");
        type("lr: ");
        assertTrue(completionAtEnd().containsAll(Set.of("Float", "Int", "Dataset")));
        type("Float\n  ");
        assertEquals(Set.of(), completionAtEnd());
    }

    @Test
    void aByteOrderMarkSentByTheClientIsNoCharacter() {
        String bomUri = LspClient.uri(dir.resolve("bom.pipe"));
        client.open(bomUri, "\uFEFFpipeline p() {\n}\n");
        assertEquals(List.of(), client.awaitDiagnostics(bomUri, 1).getDiagnostics());
        // positions count from after the mark, as for `freestone check`
        int v = client.edit(bomUri, new Range(new Position(0, 0), new Position(0, 0)), "// note\n");
        assertEquals(List.of(), client.awaitDiagnostics(bomUri, v).getDiagnostics());
    }

    /**
     * Editors other than VS Code (Neovim, Helix) send changes of files on disk only for the watchers a
     * server registers: without one, a `git pull` that changes an imported file leaves stale diagnostics.
     */
    @Test
    void theServerAsksForEventsOfPipeFilesOnDiskWhenTheClientCanWatch() throws InterruptedException {
        assertEquals(List.of(), client.registrations(), "a client that cannot register watchers is not asked");
        ClientCapabilities caps = new ClientCapabilities();
        WorkspaceClientCapabilities workspace = new WorkspaceClientCapabilities();
        workspace.setDidChangeWatchedFiles(new DidChangeWatchedFilesCapabilities(true));
        caps.setWorkspace(workspace);
        client.initialize(null, caps);
        long deadline = System.nanoTime() + LspClient.WAIT.toNanos();
        while (client.registrations().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<Registration> r = client.registrations();
        assertEquals(List.of("workspace/didChangeWatchedFiles"), r.stream().map(Registration::getMethod).toList());
        var options = (com.google.gson.JsonObject) new com.google.gson.Gson().toJsonTree(r.get(0).getRegisterOptions());
        assertEquals("**/*.pipe", options.getAsJsonArray("watchers").get(0).getAsJsonObject().get("globPattern").getAsString());
    }

    @Test
    void keywordsAndNamesFitWhereTheCursorIs() {
        type("import \"./lib.pipe\" as lib\n\n");
        Set<String> top = completionAtEnd();
        assertTrue(top.containsAll(DECLARATION_KEYWORDS), top.toString());
        assertFalse(top.contains("output") || top.contains("for") || top.contains("finally") || top.contains("after"),
                "statement keywords are no declarations: " + top);

        type("pipeline fit(");
        assertEquals(Set.of(), completionAtEnd(), "a parameter's name is new: nothing to offer");
        type("url: String, cfg: lib.Config) {\n  raw = lib.train(data = url, lr = cfg.lr)\n  ");
        // the body is not closed yet: still inside the pipeline
        Set<String> body = completionAtEnd();
        assertTrue(body.containsAll(Set.of("url", "cfg", "raw", "lib", "len", "run", "output", "for", "if", "finally")),
                body.toString());
        assertFalse(body.contains("component") || body.contains("import") || body.contains("struct"),
                "no declarations inside a pipeline: " + body);

        type("m = lib.train(data = url, lr = 0.1) after ");
        Set<String> waitFor = completionAtEnd();
        assertTrue(waitFor.contains("raw"), waitFor.toString());
        assertFalse(waitFor.contains("url") || waitFor.contains("len") || waitFor.contains("for"),
                "`after` names steps: " + waitFor);
        type("raw, ");
        assertTrue(completionAtEnd().contains("raw"));
        assertFalse(completionAtEnd().contains("cfg"));
        type("raw\n  ");
        assertTrue(completionAtEnd().contains("cfg"), "a new statement");
        type("for r in [0.1, 0.2] {\n    ");
        assertTrue(completionAtEnd().contains("r"), "the loop variable inside its loop, before its `}`");
        type("e = lib.train(data = url, lr = r)\n  }\n  ");
        Set<String> afterLoop = completionAtEnd();
        assertTrue(afterLoop.contains("e"), "a step of a loop is a list after it: " + afterLoop);
        assertFalse(afterLoop.contains("r"), "no loop variable outside its loop: " + afterLoop);

        type("}\n");
        Set<String> after = completionAtEnd();
        assertTrue(after.containsAll(DECLARATION_KEYWORDS), after.toString());
        assertFalse(after.contains("raw") || after.contains("output"), after.toString());
    }
}
