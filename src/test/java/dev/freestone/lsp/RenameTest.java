package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.pos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Source;
import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentEdit;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rename as an editor drives it: two files that import, both open, a rename asked at a place in one, its edit
 * applied to the files on disk, and {@code freestone check} run on them; and the renames the server refuses.
 */
class RenameTest extends OneFileSession {
    /** {@link LanguageServerTest#LIB}, its component running a shell script that names its inputs and outputs. */
    static final String LIB = LanguageServerTest.LIB.replace(
            "  command = [\"train\", data, \"${lr}\", \"${epochs}\", model, accuracy]\n", """
              script  = sh \"""
                train --lr "${lr}" --epochs "${epochs}" "${data}" > "${model}"
                echo 0.9 > "${accuracy}"
              \"""
            """);

    static final String MAIN = """
            import "./a.pipe" as lib

            component fetch(url: String) -> (data: Dataset) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", "-o", data, "${url}"]
            }

            component ping(url: String) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", url]
            }

            pipeline fit(url: String, rates: List[Float] = [0.1, 0.01], cfg: lib.Config = lib.Config(lr = 0.1, epochs = 3)) -> (best: Float) {
              up = ping(url = url)
              raw = fetch(url = url) after up
              last = len(rates) - 1
              for rate in rates {
                m = lib.train(data = raw.data, lr = rate, epochs = cfg.epochs)
              }
              output best = m.accuracy[last]
            }
            """;

    String libUri;
    String mainUri;

    /** The library is the session's file, {@code a.pipe}; main.pipe, which imports it, is opened beside it. */
    @Override
    String text() {
        return LIB;
    }

    @BeforeEach
    void openMain() {
        libUri = uri;
        mainUri = client.openFile(dir.resolve("main.pipe"), MAIN);
    }

    @Test
    void theFilesCheckCleanBeforeAnyRename() {
        assertEquals(0, CliRun.of("check", dir.resolve("main.pipe").toString()).code());
        assertEquals(List.of(), client.awaitDiagnostics(mainUri, 1).getDiagnostics());
    }

    /** An input renamed from a named argument: its declaration, its {@code ${lr}} in the script, the argument. */
    @Test
    void anInputRenamesWithItsNamedArgumentsAndItsScriptThroughTheImport() throws IOException {
        Position at = pos(MAIN, "lr = rate", 0, 1);
        PrepareRenameResult prepared = client.prepareRename(mainUri, at);
        assertEquals(place(mainUri, MAIN, "lr = rate", "lr"), describe(mainUri, prepared.getRange()));
        assertEquals("lr", prepared.getPlaceholder());
        // `${lr}` in the script is a use of the input, for references as for rename
        assertEquals(3, client.references(libUri, pos(LIB, "${lr}", 0, 2), true).size());
        WorkspaceEdit edit = client.rename(mainUri, at, "rate");
        assertEquals(List.of(
                        place(libUri, LIB, "lr: Float, epochs", "lr"), // the input, not the struct's field
                        place(libUri, LIB, "${lr}", "lr"), // in the script; `--lr` before it is text
                        place(mainUri, MAIN, "lr = rate", "lr")),
                places(edit));
        applyAndCheck(edit);
        assertTrue(Files.readString(dir.resolve("a.pipe")).contains("--lr \"${rate}\""));
    }

    @Test
    void eachKindOfNameRenamesEverywhereItIsNamedAndNowhereElse() throws IOException {
        // a struct's field: its declaration, the constructor's argument, `cfg.epochs`; not train's input `epochs`
        assertRenames("cfg.epochs", 4, "n_epochs", place(libUri, LIB, "epochs: Int\n", "epochs"),
                place(mainUri, MAIN, "epochs = 3", "epochs"), place(mainUri, MAIN, "cfg.epochs", "epochs"));
        // a step: its binding and `raw.data`
        assertRenames("raw.data", 0, "fetched", place(mainUri, MAIN, "raw = ", "raw"), place(mainUri, MAIN, "raw.data", "raw"));
        // a step named in an `after` clause, from there
        assertRenames("after up", 6, "probe", place(mainUri, MAIN, "up = ", "up"), place(mainUri, MAIN, "after up", "up"));
        // a value
        assertRenames("[last]", 1, "final", place(mainUri, MAIN, "last = ", "last"), place(mainUri, MAIN, "[last]", "last"));
        // a loop variable
        assertRenames("for rate", 4, "r", place(mainUri, MAIN, "for rate", "rate"), place(mainUri, MAIN, "lr = rate", "rate"));
        // an output, from a use of a step's output: the declaration, ${accuracy} in the script, the use
        assertRenames("m.accuracy", 2, "score", place(libUri, LIB, "accuracy: Float", "accuracy"),
                place(libUri, LIB, "${accuracy}", "accuracy"), place(mainUri, MAIN, "m.accuracy", "accuracy"));
        // a parameter of a pipeline: the parameter and its uses
        assertRenames("rates: List", 0, "grid", place(mainUri, MAIN, "rates: List", "rates"),
                place(mainUri, MAIN, "len(rates)", "rates"), place(mainUri, MAIN, "in rates", "rates"));
        // an input of a component, from a bare name in its command; not the pipeline's parameter of the same name
        assertRenames("${url}", 2, "address", place(mainUri, MAIN, "fetch(url: String", "url"),
                place(mainUri, MAIN, "${url}", "url"), place(mainUri, MAIN, "fetch(url = url", "url"));
        // a component of an imported module, from its call
        assertRenames("lib.train", 4, "fit_model", place(libUri, LIB, "component train", "train"),
                place(mainUri, MAIN, "lib.train", "train"));
        // a struct, from its type
        assertRenames("lib.Config", 4, "Settings", place(libUri, LIB, "struct Config", "Config"),
                place(mainUri, MAIN, "lib.Config =", "Config"), place(mainUri, MAIN, "lib.Config(", "Config"));
        // a component from its declaration; a pipeline
        assertRenames("fetch(url: String", 0, "download", place(mainUri, MAIN, "fetch(url: String", "fetch"),
                place(mainUri, MAIN, "fetch(url = url", "fetch"));
        assertRenames("pipeline fit", 9, "sweep", place(mainUri, MAIN, "pipeline fit", "fit"));
        // an import's explicit alias, not its path
        assertRenames("as lib", 3, "models", place(mainUri, MAIN, "as lib", "lib"), place(mainUri, MAIN, "lib.Config =", "lib"),
                place(mainUri, MAIN, "lib.Config(", "lib"), place(mainUri, MAIN, "lib.train", "lib"));
    }

    /** A client that takes {@code documentChanges} gets each file's edits with the version it has. */
    @Test
    void documentChangesCarryTheOpenFilesVersions() {
        try (LspClient versioned = LspClient.inProcess(Duration.ZERO, LspClient.takingDocumentChanges())) {
            versioned.open(libUri, LIB);
            versioned.open(mainUri, MAIN);
            int v = versioned.change(mainUri, MAIN + "\n");
            versioned.awaitDiagnostics(mainUri, v);
            WorkspaceEdit edit = versioned.rename(mainUri, pos(MAIN, "lib.train", 0, 6), "fit_model");
            // lsp4j reads an absent `changes` as an empty map
            assertTrue(edit.getChanges() == null || edit.getChanges().isEmpty(), edit.toString());
            List<TextDocumentEdit> changes = edit.getDocumentChanges().stream().map(e -> e.getLeft()).toList();
            assertEquals(List.of(libUri + " v1", mainUri + " v" + v),
                    changes.stream().map(c -> c.getTextDocument().getUri() + " v" + c.getTextDocument().getVersion()).toList());
            assertEquals(List.of(place(libUri, LIB, "component train", "train")),
                    changes.get(0).getEdits().stream().map(e -> describe(libUri, e.getRange())).toList());
            assertEquals(List.of(), versioned.errorLogs());
        }
    }

    @Test
    void refusesANameThatIsTakenInvalidOrAKeyword() {
        Position step = pos(MAIN, "raw.data", 0, 0);
        String taken = client.renameRefusal(mainUri, step, "cfg");
        assertTrue(taken.startsWith("renaming `raw` to `cfg` would break main.pipe:"), taken);
        String input = client.renameRefusal(libUri, pos(LIB, "lr: Float, epochs", 0, 0), "data");
        assertTrue(input.startsWith("renaming `lr` to `data` would break "), input);
        assertEquals("cannot rename `raw` to `2nd`: a name is a letter or `_` followed by letters, digits and `_`",
                client.renameRefusal(mainUri, step, "2nd"));
        assertEquals("cannot rename `raw` to `for`: `for` is a keyword", client.renameRefusal(mainUri, step, "for"));
        assertEquals("cannot rename `raw` to `len`: `len` is a builtin function", client.renameRefusal(mainUri, step, "len"));
        assertEquals("cannot rename `raw` to `Float`: `Float` is a builtin type", client.renameRefusal(mainUri, step, "Float"));
        // the same name: nothing to change
        assertEquals(Map.of(), client.rename(mainUri, step, "raw").getChanges());
    }

    @Test
    void nothingToRenameOnKeywordsTextAndBuiltins() {
        assertNull(client.prepareRename(mainUri, pos(MAIN, "pipeline", 0, 2)), "a keyword");
        assertNull(client.prepareRename(mainUri, pos(MAIN, "curlimages", 0, 2)), "a string's text");
        assertNull(client.prepareRename(mainUri, pos(MAIN, "./a.pipe", 0, 3)), "an import's path");
        assertEquals("there is no name here to rename", client.renameRefusal(mainUri, pos(MAIN, "pipeline", 0, 2), "x"));
        assertEquals("`len` is built into Freestone and cannot be renamed",
                client.renameRefusal(mainUri, pos(MAIN, "len(", 0, 1), "size"));
        assertEquals("`Float` is built into Freestone and cannot be renamed",
                client.renameRefusal(mainUri, pos(MAIN, "Float]", 0, 1), "Real"));
    }

    @Test
    void theStandardLibraryAndAnImportNamedByItsPathAreNotRenamed() {
        String text = """
                import stdlib/util
                import "./a.pipe"

                pipeline p(url: String) {
                  d = util.download(url = url)
                  a.train(data = d.data, lr = 0.1)
                }
                """;
        int v = client.change(mainUri, text);
        client.awaitDiagnostics(mainUri, v);
        assertNull(client.prepareRename(mainUri, pos(text, "stdlib/util", 0, 8)), "an import's path");
        assertEquals("`download` is declared in the standard library (`stdlib/util`), which is not yours to rename",
                client.renameRefusal(mainUri, pos(text, "util.download", 0, 6), "fetch"));
        assertEquals("the import `a` is named by its path; add `as NAME` to the import to name it otherwise",
                client.renameRefusal(mainUri, pos(text, "a.train", 0, 0), "models"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Renames what is at {@code needle} plus {@code shift} in main.pipe; the edit is at these places and checks clean. */
    private void assertRenames(String needle, int shift, String newName, String... expected) throws IOException {
        WorkspaceEdit edit = client.rename(mainUri, pos(MAIN, needle, 0, shift), newName);
        assertEquals(List.of(expected), places(edit), needle);
        applyAndCheck(edit);
        Files.writeString(dir.resolve("a.pipe"), LIB);
        Files.writeString(dir.resolve("main.pipe"), MAIN);
    }

    /** Where {@code name} stands in the one place of {@code context} in a file. */
    static String place(String uri, String text, String context, String name) {
        assertEquals(text.indexOf(context), text.lastIndexOf(context), context + " is not unique");
        Position start = pos(text, context, 0, context.indexOf(name));
        return describe(uri, new Range(start, new Position(start.getLine(), start.getCharacter() + name.length())));
    }

    static String describe(String uri, Range r) {
        return uri.substring(uri.lastIndexOf('/') + 1) + ":" + r.getStart().getLine() + ":" + r.getStart().getCharacter()
                + "-" + r.getEnd().getLine() + ":" + r.getEnd().getCharacter();
    }

    /** The edit's places, in the order the server gives them: by file, then position. */
    static List<String> places(WorkspaceEdit edit) {
        List<String> out = new ArrayList<>();
        edit.getChanges().forEach((uri, edits) -> edits.forEach(e -> out.add(describe(uri, e.getRange()))));
        return out;
    }

    /** Writes the edited files as an editor saves them, then checks them as a user does: no diagnostic at all. */
    private void applyAndCheck(WorkspaceEdit edit) throws IOException {
        save(edit);
        CliRun check = CliRun.of("check", dir.resolve("main.pipe").toString());
        assertEquals(0, check.code(), check.err());
        assertEquals("", check.err());
        assertEquals(0, CliRun.of("check", dir.resolve("a.pipe").toString()).code());
    }

    /** Makes the edit's {@code changes} in the files on disk, as an editor that applies and saves them. */
    static void save(WorkspaceEdit edit) throws IOException {
        for (Map.Entry<String, List<TextEdit>> e : edit.getChanges().entrySet()) {
            Path file = Path.of(java.net.URI.create(e.getKey()));
            Source source = new Source(file.toString(), Files.readString(file));
            StringBuilder text = new StringBuilder(source.text());
            List<TextEdit> edits = new ArrayList<>(e.getValue());
            edits.sort(Comparator.comparingInt((TextEdit t) -> Ranges.offset(source, t.getRange().getStart())).reversed());
            for (TextEdit t : edits) {
                text.replace(Ranges.offset(source, t.getRange().getStart()), Ranges.offset(source, t.getRange().getEnd()),
                        t.getNewText());
            }
            Files.writeString(file, text);
        }
    }
}
