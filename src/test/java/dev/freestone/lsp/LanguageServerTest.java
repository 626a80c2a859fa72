package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.freestone.check.CheckOptions;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.fmt.Formatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.DiagnosticTag;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language server in this process, driven by an lsp4j client over piped streams, on two files that import. */
class LanguageServerTest {
    static final String LIB = """
            /// Hyperparameters of one run.
            struct Config {
              /// The learning rate.
              lr: Float
              epochs: Int
            }

            /// Trains a model.
            component train(data: Dataset, lr: Float, epochs: Int = 10) -> (model: Model, accuracy: Float) {
              image   = "python:3.12-slim"
              command = ["train", data, "${lr}", "${epochs}", model, accuracy]
            }
            """;

    static final String MAIN = """
            import "./lib.pipe" as lib

            component fetch(url: String) -> (data: Dataset) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", "-o", data, url]
            }

            /// Fits one model per rate.
            pipeline fit(url: String, rates: List[Float] = [0.1, 0.01], cfg: lib.Config = lib.Config(lr = 0.1, epochs = 3)) -> (best: Float) {
              raw = fetch(url = url)
              for lr in rates {
                m = lib.train(data = raw.data, lr = lr, epochs = cfg.epochs)
              }
              output best = m.accuracy[0]
            }
            """;

    @TempDir
    Path dir;
    LspClient client;
    String libUri;
    String mainUri;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("lib.pipe"), LIB);
        Files.writeString(dir.resolve("main.pipe"), MAIN);
        libUri = LspClient.uri(dir.resolve("lib.pipe"));
        mainUri = LspClient.uri(dir.resolve("main.pipe"));
        client = LspClient.inProcess(Duration.ZERO);
    }

    @AfterEach
    void stop() {
        List<?> errors = client.errorLogs();
        client.close();
        assertEquals(List.of(), errors, "the server logged no failure");
    }

    /** The position of the {@code nth} (0-based) occurrence of {@code needle}, plus {@code shift} characters. */
    static Position pos(String text, String needle, int nth, int shift) {
        int at = -1;
        for (int i = 0; i <= nth; i++) {
            at = text.indexOf(needle, at + 1);
            if (at < 0) {
                throw new AssertionError("no " + needle + " #" + nth);
            }
        }
        at += shift;
        int line = 0;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, at - lineStart);
    }

    static Range range(String text, String needle, int nth) {
        Position start = pos(text, needle, nth, 0);
        return new Range(start, new Position(start.getLine(), start.getCharacter() + needle.length()));
    }

    PublishDiagnosticsParams openMain(String text) {
        client.open(mainUri, text);
        return client.awaitDiagnostics(mainUri, 1);
    }

    @Test
    void announcesWhatItCanDo() {
        InitializeResult r = client.initialize();
        var caps = r.getCapabilities();
        assertTrue(caps.getHoverProvider().getLeft());
        assertTrue(caps.getDefinitionProvider().getLeft());
        assertTrue(caps.getReferencesProvider().getLeft());
        assertTrue(caps.getDocumentSymbolProvider().getLeft());
        assertTrue(caps.getDocumentFormattingProvider().getLeft());
        assertTrue(caps.getCompletionProvider().getTriggerCharacters().contains("."));
        assertEquals("freestone", r.getServerInfo().getName());
    }

    @Test
    void aCleanFileHasNoDiagnostics() {
        assertEquals(List.of(), openMain(MAIN).getDiagnostics());
    }

    @Test
    void diagnosticsAreTheCheckersWithZeroBasedRanges() {
        String broken = MAIN.replace("raw.data", "raw.dta").replace("epochs = cfg.epochs", "epochs = cfg.epochs, speed = 2");
        PublishDiagnosticsParams p = openMain(broken);
        assertEquals(1, p.getVersion());
        List<org.eclipse.lsp4j.Diagnostic> got = p.getDiagnostics();

        // exactly what `freestone check` says about the same text, place for place
        Source source = new Source(dir.resolve("main.pipe").toString(), broken);
        List<Diagnostic> expected = Checker.check(source, new ModuleLoader(), CheckOptions.DEFAULT).diagnostics();
        assertEquals(2, expected.size(), expected.toString());
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            Diagnostic e = expected.get(i);
            org.eclipse.lsp4j.Diagnostic g = got.get(i);
            assertEquals(e.code().name(), g.getCode().getLeft());
            assertEquals("freestone", g.getSource());
            assertEquals(e.message() + "\nhelp: " + e.help(), g.getMessage());
            assertEquals(new Range(new Position(e.span().line() - 1, e.span().column() - 1),
                    new Position(e.span().endLine() - 1, e.span().endColumn() - 1)), g.getRange());
        }
        org.eclipse.lsp4j.Diagnostic typo = got.stream().filter(d -> d.getCode().getLeft().equals("E0102")).findFirst().orElseThrow();
        assertEquals(range(broken, "dta", 0), typo.getRange());
        assertTrue(typo.getMessage().startsWith("unknown output `dta` of step `raw`"), typo.getMessage());
        assertTrue(typo.getMessage().contains("did you mean `data`?"), typo.getMessage());
        org.eclipse.lsp4j.Diagnostic unknownArg = got.stream().filter(d -> d.getCode().getLeft().equals("E0103")).findFirst().orElseThrow();
        assertEquals(range(broken, "speed", 0), unknownArg.getRange());
    }

    @Test
    void aSyntaxErrorIsPlacedAndFixingItClearsIt() {
        String broken = MAIN.replace("raw = fetch(url = url)", "raw = fetch(url = url");
        PublishDiagnosticsParams p = openMain(broken);
        assertFalse(p.getDiagnostics().isEmpty());
        // the parser stops at the `for` after the unclosed call
        org.eclipse.lsp4j.Diagnostic syntax = p.getDiagnostics().stream()
                .filter(d -> d.getCode().getLeft().equals("E0001")).findFirst().orElseThrow();
        assertEquals(range(broken, "for", 0), syntax.getRange());
        assertTrue(syntax.getMessage().startsWith("syntax error: unexpected `for`"), syntax.getMessage());

        int v = client.change(mainUri, MAIN);
        PublishDiagnosticsParams fixed = client.awaitDiagnostics(mainUri, v);
        assertEquals(v, fixed.getVersion());
        assertEquals(List.of(), fixed.getDiagnostics());
    }

    @Test
    void incrementalEditsAreApplied() {
        openMain(MAIN);
        Position at = pos(MAIN, "raw.data", 0, 4);
        int v = client.edit(mainUri, new Range(at, new Position(at.getLine(), at.getCharacter() + 4)), "dta");
        PublishDiagnosticsParams p = client.awaitDiagnostics(mainUri, v);
        assertEquals(1, p.getDiagnostics().size(), p.toString());
        assertEquals("E0102", p.getDiagnostics().get(0).getCode().getLeft());
    }

    @Test
    void aBurstOfEditsIsCoalescedIntoAtMostTwoChecks() throws InterruptedException {
        // a wide debounce, so that a loaded machine does not break the burst apart
        try (LspClient slow = LspClient.inProcess(Duration.ofMillis(1000))) {
            slow.open(mainUri, MAIN);
            slow.awaitDiagnostics(mainUri, 1);
            Thread.sleep(1100);
            long before = slow.publishedCount(mainUri);
            int last = 0;
            for (int i = 0; i < 5; i++) {
                // typing: 50 ms apart, well inside the debounce, slow enough that each edit is handled alone
                last = slow.change(mainUri, MAIN.replace("raw.data", "raw.dat" + "x".repeat(i)));
                Thread.sleep(50);
            }
            PublishDiagnosticsParams p = slow.awaitDiagnostics(mainUri, last);
            assertEquals(last, p.getVersion());
            assertEquals("unknown output `datxxxx` of step `raw`", p.getDiagnostics().get(0).getMessage().lines().findFirst().orElseThrow());
            Thread.sleep(200);
            long checks = slow.publishedCount(mainUri) - before;
            assertTrue(checks >= 1 && checks <= 2, "the first edit after a pause is checked at once, the rest together: " + checks);
            assertEquals(List.of(), slow.errorLogs());
        }
    }

    @Test
    void theClientMaySetTheDebounceWhenItInitializes() {
        try (LspClient slow = LspClient.inProcess(Duration.ofSeconds(60))) {
            JsonObject words = new JsonObject();
            words.addProperty("debounceMs", "soon");
            slow.initialize(words); // not a number: the debounce stays
            JsonObject none = new JsonObject();
            none.addProperty("debounceMs", 0);
            slow.initialize(none);
            slow.open(mainUri, MAIN);
            slow.awaitDiagnostics(mainUri, 1);
            // two edits at once: with the 60 s debounce the second would wait a minute to be checked
            slow.change(mainUri, MAIN + "\n");
            int v = slow.change(mainUri, MAIN.replace("raw.data", "raw.dta"));
            assertEquals("E0102", slow.awaitDiagnostics(mainUri, v).getDiagnostics().get(0).getCode().getLeft());
            assertEquals(List.of(), slow.errorLogs());
        }
    }

    @Test
    void anEditOfAnImportedFileRechecksItsOpenImporters() {
        openMain(MAIN);
        client.open(libUri, LIB);
        assertEquals(List.of(), client.awaitDiagnostics(libUri, 1).getDiagnostics());
        long before = client.publishedCount(mainUri);

        // the unsaved buffer of lib.pipe renames an output that main.pipe reads
        int v = client.change(libUri, LIB.replace("accuracy: Float", "acc: Float").replace(", accuracy]", ", acc]"));
        assertEquals(List.of(), client.awaitDiagnostics(libUri, v).getDiagnostics());
        PublishDiagnosticsParams main = awaitMore(mainUri, before);
        assertEquals(1, main.getVersion(), "main.pipe itself did not change");
        assertEquals(1, main.getDiagnostics().size(), main.toString());
        assertEquals("E0102", main.getDiagnostics().get(0).getCode().getLeft());
        assertEquals(range(MAIN, "accuracy", 0), main.getDiagnostics().get(0).getRange());

        // closing lib.pipe: main.pipe reads the file on disk again, which still has `accuracy`
        long count = client.publishedCount(mainUri);
        client.close(libUri);
        assertEquals(List.of(), awaitMore(mainUri, count).getDiagnostics());
    }

    @Test
    void savingAnOpenFileChecksNothingAgainButAChangeOnDiskOfAnImportDoes() throws IOException {
        openMain(MAIN);
        long before = client.publishedCount(mainUri);
        // the editor reports its own save of main.pipe: the buffer is what is checked, nothing changed
        client.filesChanged(mainUri);
        // answered on the worker after the event, and after any check it would have caused
        hoverText(client.hover(mainUri, pos(MAIN, "raw.data", 0, 1)));
        assertEquals(before, client.publishedCount(mainUri));

        // lib.pipe is not open: its file on disk is what main.pipe imports
        Files.writeString(dir.resolve("lib.pipe"), LIB.replace("accuracy", "acc"));
        client.filesChanged(libUri);
        PublishDiagnosticsParams main = awaitMore(mainUri, before);
        assertEquals(List.of("E0102"), main.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList());
    }

    @Test
    void openingAnImportedFileAsItIsOnDiskChecksNoImporterAgain() {
        openMain(MAIN);
        long before = client.publishedCount(mainUri);
        client.open(libUri, LIB);
        assertEquals(List.of(), client.awaitDiagnostics(libUri, 1).getDiagnostics());
        hoverText(client.hover(mainUri, pos(MAIN, "raw.data", 0, 1)));
        assertEquals(before, client.publishedCount(mainUri), "main.pipe read the same text of lib.pipe from disk");

        // opened with another text than the disk's (restored unsaved changes): main.pipe sees it
        client.close(libUri);
        hoverText(client.hover(mainUri, pos(MAIN, "raw.data", 0, 1)));
        long count = client.publishedCount(mainUri);
        client.open(libUri, LIB.replace("accuracy", "acc"));
        PublishDiagnosticsParams main = awaitMore(mainUri, count);
        assertEquals(List.of("E0102"), main.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList());
    }

    /** The imports' parses are kept from check to check (ParseCache): what is kept must stay right. */
    @Test
    void editsOfAnImporterSeeTheImportAsItIsAlsoAfterItChangesOnDisk() throws IOException {
        openMain(MAIN);
        // two edits of main.pipe while lib.pipe stays as it is: each check reuses lib.pipe's tree
        int v = client.change(mainUri, MAIN.replace("epochs = cfg.epochs", "epoch = cfg.epochs"));
        PublishDiagnosticsParams broken = client.awaitDiagnostics(mainUri, v);
        assertEquals(List.of("E0103"), broken.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList());
        assertTrue(broken.getDiagnostics().get(0).getMessage().contains("did you mean `epochs`"), broken.toString());
        v = client.change(mainUri, MAIN);
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, v).getDiagnostics());
        // features that find the imported module by its tree's Source
        Location train = new Location(libUri, range(LIB, "train", 0));
        assertEquals(List.of(train), client.definition(mainUri, pos(MAIN, "lib.train", 0, 6)));
        assertTrue(hoverText(client.hover(mainUri, pos(MAIN, "lib.train", 0, 6))).contains("Trains a model."));

        // lib.pipe is changed on disk and saved: the next check reads and parses the new text
        long before = client.publishedCount(mainUri);
        String renamed = LIB.replace("accuracy", "acc");
        Files.writeString(dir.resolve("lib.pipe"), renamed);
        client.filesChanged(libUri);
        PublishDiagnosticsParams main = awaitMore(mainUri, before);
        assertEquals(List.of("E0102"), main.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList());
        // and the edits after it keep seeing the new text
        v = client.change(mainUri, MAIN.replace("m.accuracy", "m.acc"));
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, v).getDiagnostics());
        assertEquals(List.of(new Location(libUri, range(renamed, "acc", 0))),
                client.definition(mainUri, pos(MAIN.replace("m.accuracy", "m.acc"), "m.acc", 0, 2)));

        // opened with yet another text (an unsaved buffer): main.pipe sees the buffer, not the disk
        before = client.publishedCount(mainUri);
        client.open(libUri, LIB);
        assertEquals("E0102", awaitMore(mainUri, before).getDiagnostics().get(0).getCode().getLeft());
        v = client.change(mainUri, MAIN);
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, v).getDiagnostics());
    }

    private PublishDiagnosticsParams awaitMore(String uri, long count) {
        long deadline = System.nanoTime() + LspClient.WAIT.toNanos();
        while (client.publishedCount(uri) <= count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new diagnostics for " + uri);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return client.awaitDiagnostics(uri, 0);
    }

    static String hoverText(Hover h) {
        assertNotNull(h, "a hover");
        return h.getContents().getRight().getValue();
    }

    @Test
    void hoverShowsTheTypeAndTheDocComment() {
        openMain(MAIN);
        String callee = hoverText(client.hover(mainUri, pos(MAIN, "lib.train", 0, 5)));
        assertTrue(callee.contains("component train(data: Dataset, lr: Float, epochs: Int = 10) -> (model: Model, accuracy: Float)"),
                callee);
        assertTrue(callee.contains("Trains a model."), callee);

        String step = hoverText(client.hover(mainUri, pos(MAIN, "raw.data", 0, 1)));
        assertTrue(step.contains("(step) raw = fetch(...) -> (data: Dataset)"), step);

        // a value made in a loop is a list after it
        String collected = hoverText(client.hover(mainUri, pos(MAIN, "m.accuracy", 0, 3)));
        assertTrue(collected.contains("m.accuracy: List[Float]"), collected);

        String field = hoverText(client.hover(mainUri, pos(MAIN, "cfg.epochs", 0, 5)));
        assertTrue(field.contains("(field of Config) epochs: Int"), field);

        String fieldDoc = hoverText(client.hover(mainUri, pos(MAIN, "lr = 0.1", 0, 0)));
        assertTrue(fieldDoc.contains("lr: Float") && fieldDoc.contains("The learning rate."), fieldDoc);

        String param = hoverText(client.hover(mainUri, pos(MAIN, "url = url", 0, 7)));
        assertTrue(param.contains("(input of fit) url: String"), param);

        String pipeline = hoverText(client.hover(mainUri, pos(MAIN, "pipeline fit", 0, 10)));
        assertTrue(pipeline.contains("pipeline fit(") && pipeline.contains("Fits one model per rate."), pipeline);

        String loopVar = hoverText(client.hover(mainUri, pos(MAIN, "lr = lr", 0, 6)));
        assertTrue(loopVar.contains("(loop variable) lr: Float"), loopVar);

        assertNull(client.hover(mainUri, pos(MAIN, "\"curl\"", 0, 2)), "nothing to say inside a string");
    }

    @Test
    void runMetadataIsDescribedFromTheCheckersFieldsAndUnusedThingsAreFaded() {
        String text = MAIN.replace("  output best", "  extra = fetch(url = run.id)\n  output best");
        PublishDiagnosticsParams p = openMain(text);
        assertEquals(List.of("W0001"), p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList());
        assertEquals(List.of(DiagnosticTag.Unnecessary), p.getDiagnostics().get(0).getTags());

        assertTrue(hoverText(client.hover(mainUri, pos(text, "run.id", 0, 1))).contains("(run metadata) run: id, name, status, failures"));
        assertTrue(hoverText(client.hover(mainUri, pos(text, "run.id", 0, 5))).contains("(run metadata) run.id: String"));
        CompletionItem run = byLabel(client.completion(mainUri, pos(text, "run.id", 0, 0))).get("run");
        assertEquals("run metadata: id, name, status, failures", run.getDetail());
        Map<String, CompletionItem> fields = byLabel(client.completion(mainUri, pos(text, "run.id", 0, 4)));
        assertEquals(Set.of("id", "name", "status", "failures"), fields.keySet());
        assertEquals("List[Failure]", fields.get("failures").getDetail());
        assertTrue(String.valueOf(fields.get("failures").getDocumentation()).contains("only inside `finally`"),
                () -> String.valueOf(fields.get("failures").getDocumentation()));
    }

    @Test
    void theBuiltInStructOfRunFailuresShowsItsFieldsOnHover() {
        String text = MAIN.replace("component fetch(url: String)", "component fetch(url: String, failed: List[Failure] = [])");
        openMain(text);
        assertTrue(hoverText(client.hover(mainUri, pos(text, "Failure]", 0, 2))).contains(
                "(builtin type) Failure { message: String, phase: String, step: String }"));
    }

    @Test
    void definitionLeadsToTheDeclarationAlsoAcrossAnImport() {
        openMain(MAIN);
        Path lib = dir.resolve("lib.pipe");
        // a component of the imported file
        List<? extends Location> train = client.definition(mainUri, pos(MAIN, "lib.train", 0, 6));
        assertEquals(List.of(new Location(LspClient.uri(lib), range(LIB, "train", 0))), train);
        // a step of this file
        List<? extends Location> raw = client.definition(mainUri, pos(MAIN, "raw.data", 0, 0));
        assertEquals(List.of(new Location(mainUri, range(MAIN, "raw", 0))), raw);
        // a struct field, an argument name (the callee's input), a pipeline parameter
        assertEquals(List.of(new Location(LspClient.uri(lib), range(LIB, "epochs", 0))),
                client.definition(mainUri, pos(MAIN, "cfg.epochs", 0, 4)));
        assertEquals(List.of(new Location(LspClient.uri(lib), range(LIB, "data", 0))),
                client.definition(mainUri, pos(MAIN, "data = raw", 0, 0)));
        assertEquals(List.of(new Location(mainUri, range(MAIN, "rates", 0))),
                client.definition(mainUri, pos(MAIN, "in rates", 0, 3)));
        // an output of a step: the output's declaration in the component
        assertEquals(List.of(new Location(LspClient.uri(lib), range(LIB, "accuracy", 0))),
                client.definition(mainUri, pos(MAIN, "m.accuracy", 0, 2)));
        // the alias and the import path lead to the imported file
        Location file = new Location(LspClient.uri(lib), new Range(new Position(0, 0), new Position(0, 0)));
        assertEquals(List.of(file), client.definition(mainUri, pos(MAIN, "lib.train", 0, 1)));
        assertEquals(List.of(file), client.definition(mainUri, pos(MAIN, "./lib.pipe", 0, 3)));
        // nothing on a keyword
        assertEquals(List.of(), client.definition(mainUri, pos(MAIN, "pipeline", 0, 2)));
    }

    @Test
    void referencesAcrossOpenFiles() {
        openMain(MAIN);
        client.open(libUri, LIB);
        client.awaitDiagnostics(libUri, 1);

        List<? extends Location> raw = client.references(mainUri, pos(MAIN, "raw =", 0, 0), true);
        assertEquals(List.of(new Location(mainUri, range(MAIN, "raw", 0)), new Location(mainUri, range(MAIN, "raw", 1))), raw);

        // the component `train`, asked in lib.pipe: its declaration and the call in main.pipe
        List<? extends Location> train = client.references(libUri, pos(LIB, "train(", 0, 1), true);
        assertEquals(Set.of(new Location(libUri, range(LIB, "train", 0)), new Location(mainUri, range(MAIN, "train", 0))),
                Set.copyOf(train));
        List<? extends Location> uses = client.references(libUri, pos(LIB, "train(", 0, 1), false);
        assertEquals(List.of(new Location(mainUri, range(MAIN, "train", 0))), uses);

        // a struct field: declaration, the struct value's argument, and `cfg.epochs`
        List<? extends Location> epochs = client.references(mainUri, pos(MAIN, "cfg.epochs", 0, 5), true);
        assertEquals(Set.of(new Location(libUri, range(LIB, "epochs", 0)), new Location(mainUri, range(MAIN, "epochs", 0)),
                new Location(mainUri, range(MAIN, "epochs", 2))), Set.copyOf(epochs));

        // the import alias: every `lib.` of main.pipe and its declaration
        List<? extends Location> alias = client.references(mainUri, pos(MAIN, "lib.Config", 0, 0), true);
        assertEquals(4, alias.size(), alias.toString());
    }

    static Map<String, CompletionItem> byLabel(List<CompletionItem> items) {
        return items.stream().collect(Collectors.toMap(CompletionItem::getLabel, i -> i, (a, b) -> a));
    }

    @Test
    void completionAfterADotOffersTheStepsOutputs() {
        String typing = MAIN.replace("output best = m.accuracy[0]", "output best = m.");
        openMain(typing);
        Map<String, CompletionItem> items = byLabel(client.completion(mainUri, pos(typing, "= m.", 0, 4)));
        assertEquals(Set.of("model", "accuracy"), items.keySet());
        assertEquals("Float", items.get("accuracy").getDetail());

        Map<String, CompletionItem> raw = byLabel(client.completion(mainUri, pos(typing, "raw.data", 0, 4)));
        assertEquals(Set.of("data"), raw.keySet());

        Map<String, CompletionItem> module = byLabel(client.completion(mainUri, pos(typing, "lib.train", 0, 4)));
        assertEquals(Set.of("Config", "train"), module.keySet());

        Map<String, CompletionItem> struct = byLabel(client.completion(mainUri, pos(typing, "cfg.epochs", 0, 4)));
        assertEquals(Set.of("lr", "epochs"), struct.keySet());
    }

    @Test
    void completionInsideACallOffersTheArgumentsNotGivenWithTheirTypes() {
        String typing = MAIN.replace("m = lib.train(data = raw.data, lr = lr, epochs = cfg.epochs)", "m = lib.train(data = raw.data, ");
        openMain(typing);
        List<CompletionItem> items = client.completion(mainUri, pos(typing, "raw.data, ", 0, 10));
        Map<String, CompletionItem> byLabel = byLabel(items);
        assertEquals(Set.of("lr", "epochs"), byLabel.keySet());
        assertEquals("Float (required)", byLabel.get("lr").getDetail());
        assertEquals("Int = 10", byLabel.get("epochs").getDetail());
        assertEquals("lr = ", byLabel.get("lr").getInsertText());
        assertEquals("lr", items.get(0).getLabel(), "required arguments first");

        // at an argument's value: the names in scope
        Map<String, CompletionItem> value = byLabel(client.completion(mainUri, pos(typing, "data = raw", 0, 7)));
        assertTrue(value.keySet().containsAll(Set.of("raw", "url", "rates", "cfg", "lr", "fetch", "lib", "len")), value.keySet().toString());

        // a struct value's fields
        Map<String, CompletionItem> fields = byLabel(client.completion(mainUri, pos(typing, "lib.Config(", 0, 11)));
        assertEquals(Set.of("lr", "epochs"), fields.keySet());
    }

    @Test
    void completionOffersKeywordsAndTypesAndNothingInStrings() {
        openMain(MAIN);
        Map<String, CompletionItem> top = byLabel(client.completion(mainUri, new Position(1, 0)));
        assertTrue(top.keySet().containsAll(Set.of("component", "pipeline", "import", "struct")), top.keySet().toString());

        Map<String, CompletionItem> types = byLabel(client.completion(mainUri, pos(MAIN, "url: String", 0, 5)));
        assertTrue(types.keySet().containsAll(Set.of("String", "Dataset", "List", "lib")), types.keySet().toString());
        assertFalse(types.containsKey("pipeline"));

        assertEquals(List.of(), client.completion(mainUri, pos(MAIN, "\"curl\"", 0, 3)));
        assertEquals(List.of(), client.completion(mainUri, pos(LIB, "/// Trains", 0, 5)));
    }

    @Test
    void documentSymbolsOutlineTheFile() {
        openMain(MAIN);
        List<DocumentSymbol> symbols = client.symbols(mainUri);
        assertEquals(List.of("lib", "fetch", "fit"), symbols.stream().map(DocumentSymbol::getName).toList());
        DocumentSymbol fit = symbols.get(2);
        assertEquals(range(MAIN, "fit", 0), fit.getSelectionRange());
        assertEquals(List.of("url", "rates", "cfg", "best", "raw", "for lr"),
                fit.getChildren().stream().map(DocumentSymbol::getName).toList());
        DocumentSymbol loop = fit.getChildren().get(5);
        assertEquals(List.of("m"), loop.getChildren().stream().map(DocumentSymbol::getName).toList());
        assertEquals("step: train", loop.getChildren().get(0).getDetail());
    }

    /**
     * A pasted KFP file or component: the parser's recovery reads `@dsl.component(base_image=...)` as a
     * component `base_image` and `from kfp import dsl` as an import `dsl`, which the outline showed. It shows
     * what the user wrote, around the paste too; declarations sharing a line are still the user's.
     */
    @Test
    void theOutlineLeavesOutWhatRecoveryMadeOfPastedPython() {
        String kfp = """
                from kfp import dsl

                @dsl.component(base_image="python:3.12")
                def train(lr: float, data: dsl.Input[dsl.Dataset]) -> float:
                    import json
                    return lr * 2

                @dsl.pipeline(name="p")
                def pipeline(lr: float = 0.1):
                    t = train(lr=lr)
                """;
        PublishDiagnosticsParams alone = openMain(kfp);
        assertEquals("E0001", alone.getDiagnostics().get(0).getCode().getLeft());
        assertEquals(List.of(), client.symbols(mainUri));

        String between = MAIN.replace("/// Fits one model", "@dsl.component\ndef train(lr: float) -> float:\n    return lr\n\n/// Fits one model");
        client.change(mainUri, between);
        assertEquals(List.of("E0004"), client.awaitDiagnostics(mainUri, 2).getDiagnostics().stream()
                .map(d -> d.getCode().getLeft()).toList());
        assertEquals(List.of("lib", "fetch", "fit"), client.symbols(mainUri).stream().map(DocumentSymbol::getName).toList());

        String sharing = "struct A { x: Int } struct B { y: Int }\npipeline p() {\n  x = (\n}\n";
        client.change(mainUri, sharing);
        assertEquals(List.of("E0001"), client.awaitDiagnostics(mainUri, 3).getDiagnostics().stream()
                .map(d -> d.getCode().getLeft()).toList());
        assertEquals(List.of("A", "B", "p"), client.symbols(mainUri).stream().map(DocumentSymbol::getName).toList());
    }

    @Test
    void formattingReplacesTheTextWithTheFormattersAndLeavesBrokenFilesAlone() {
        String messy = MAIN.replace("  raw = fetch(url = url)", "raw=fetch(url=url)").replace("  image   =", "image=");
        openMain(messy);
        List<? extends TextEdit> edits = client.format(mainUri);
        assertEquals(1, edits.size());
        String expected = Formatter.formatSource(new Source("main.pipe", messy)).formatted();
        assertEquals(expected, apply(messy, edits.get(0)));
        assertEquals(new Position(0, 0), edits.get(0).getRange().getStart());

        int v = client.change(mainUri, expected);
        client.awaitDiagnostics(mainUri, v);
        assertEquals(List.of(), client.format(mainUri), "a formatted file needs no edit");

        v = client.change(mainUri, "component (");
        client.awaitDiagnostics(mainUri, v);
        assertEquals(List.of(), client.format(mainUri), "syntax errors: no edit");
    }

    static String apply(String text, TextEdit edit) {
        Source s = new Source("x", text);
        int start = Ranges.offset(s, edit.getRange().getStart());
        int end = Ranges.offset(s, edit.getRange().getEnd());
        return text.substring(0, start) + edit.getNewText() + text.substring(end);
    }

    @Test
    void requestsForUnknownDocumentsAnswerNothing() {
        String other = LspClient.uri(dir.resolve("nope.pipe"));
        assertNull(client.hover(other, new Position(0, 0)));
        assertEquals(List.of(), client.definition(other, new Position(0, 0)));
        assertEquals(List.of(), client.completion(other, new Position(0, 0)));
        assertEquals(List.of(), client.symbols(other));
        assertEquals(List.of(), client.format(other));
    }
}
