package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.pos;
import static dev.freestone.lsp.RenameTest.place;
import static dev.freestone.lsp.RenameTest.places;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * References and rename across the workspace folder the editor names, as it drives them: the library open, the
 * files that import it closed on disk (directly, from a subfolder, through another file), a rename's edit saved
 * and {@code freestone check} run on every file of the workspace; what the server never reads (skipped folders,
 * files outside, links out); a closed importer with a syntax error; the bound on the files read.
 */
class WorkspaceRenameTest {
    static final String LIB = LanguageServerTest.LIB;
    /** In the library's component {@code train}'s name, where references and rename are asked. */
    static final Position TRAIN_AT = pos(LIB, "component train", 0, 10);

    static final String TRAIN = """
            import "./lib.pipe" as lib

            component fetch(url: String) -> (data: Dataset) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", "-o", data, url]
            }

            pipeline go(url: String) -> (acc: Float) {
              raw = fetch(url = url)
              m = lib.train(data = raw.data, lr = 0.1)
              output acc = m.accuracy
            }
            """;

    /** In a subfolder, the library under another alias; itself imported by {@link #TOP}. */
    static final String NESTED = TRAIN.replace("\"./lib.pipe\" as lib", "\"../lib.pipe\" as models")
            .replace("lib.train", "models.train").replace("pipeline go", "pipeline sweep");

    static final String TOP = """
            import "./nested.pipe" as n

            pipeline all(url: String) -> (acc: Float) {
              s = n.sweep(url = url)
              output acc = s.acc
            }
            """;

    /** A component of the same name that is not the library's: never renamed with it. */
    static final String UNRELATED = """
            component train(x: String) {
              image   = "python:3.12-slim"
              command = ["echo", x]
            }

            pipeline p(x: String) {
              t = train(x = x)
            }
            """;

    @TempDir
    Path dir;
    Path project;
    LspClient client;
    String libUri;

    @BeforeEach
    void workspace() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        // a git checkout: `freestone check` reads imports from anywhere in it
        Files.createDirectories(project.resolve(".git"));
        Files.createDirectories(project.resolve("sub"));
        write("train.pipe", TRAIN);
        write("sub/nested.pipe", NESTED);
        write("sub/top.pipe", TOP);
        write("unrelated.pipe", UNRELATED);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeExpectingNoFailure();
        }
    }

    private void start(ServerOptions options) {
        start(options, new ClientCapabilities());
    }

    private void start(ServerOptions options, ClientCapabilities capabilities) {
        client = LspClient.inProcess(options, capabilities, List.of(project));
        libUri = client.openFile(project.resolve("lib.pipe"), LIB);
    }

    @Test
    void theWorkspaceChecksCleanBeforeAnyRename() throws IOException {
        Files.writeString(project.resolve("lib.pipe"), LIB);
        assertWorkspaceChecksClean();
    }

    @Test
    void closedImportersAreFoundByReferencesAndEditedByRename() throws IOException {
        start(new ServerOptions(Duration.ZERO));
        assertEquals(trainsPlaces(), describe(client.references(libUri, TRAIN_AT, true)));
        WorkspaceEdit edit = client.rename(libUri, TRAIN_AT, "fit_model");
        assertEquals(trainsPlaces(), places(edit));
        RenameTest.save(edit);
        assertTrue(Files.readString(project.resolve("train.pipe")).contains("lib.fit_model(data"));
        assertEquals(UNRELATED, Files.readString(project.resolve("unrelated.pipe")));
        assertWorkspaceChecksClean();
    }

    /** Asked at a call in an importer with the library closed: the library and the other closed importer are edited. */
    @Test
    void aRenameFromAnImporterEditsTheClosedLibraryAndItsOtherImporters() throws IOException {
        Files.writeString(project.resolve("lib.pipe"), LIB);
        client = LspClient.inProcess(new ServerOptions(Duration.ZERO), new ClientCapabilities(), List.of(project));
        libUri = uri("lib.pipe");
        String trainUri = client.openFile(project.resolve("train.pipe"), TRAIN);
        WorkspaceEdit edit = client.rename(trainUri, pos(TRAIN, "lib.train", 0, 5), "fit_model");
        assertEquals(trainsPlaces(), places(edit));
        RenameTest.save(edit);
        assertWorkspaceChecksClean();
    }

    /** The edits of files that are not open carry no version, as the protocol allows; the open file's its own. */
    @Test
    void closedFilesAreEditedWithoutAVersion() {
        start(new ServerOptions(Duration.ZERO), LspClient.takingDocumentChanges());
        WorkspaceEdit edit = client.rename(libUri, TRAIN_AT, "fit_model");
        List<TextDocumentEdit> changes = edit.getDocumentChanges().stream().map(e -> e.getLeft()).toList();
        assertEquals(List.of("lib.pipe v1", "nested.pipe vnull", "train.pipe vnull"), changes.stream()
                .map(c -> name(c.getTextDocument().getUri()) + " v" + c.getTextDocument().getVersion()).toList());
    }

    /** An open file's unsaved text wins over the disk; a closed file changed on disk is read again. */
    @Test
    void openTextsWinAndChangesOnDiskAreSeen() throws IOException {
        start(new ServerOptions(Duration.ZERO));
        assertEquals(3, client.references(libUri, TRAIN_AT, true).size());
        // unrelated.pipe, open, now imports the library in its buffer (not on disk)
        String buffer = "import \"./lib.pipe\" as lib\n\n" + UNRELATED.replace("t = train(x = x)",
                "t = train(x = x)\n  u = lib.train(data = x, lr = 0.5)");
        String unrelated = uri("unrelated.pipe");
        client.open(unrelated, buffer);
        // train.pipe, closed, is changed on disk: one more call
        String twice = TRAIN.replace("  output acc", "  again = lib.train(data = raw.data, lr = 0.2)\n  output acc");
        write("train.pipe", twice);
        assertEquals(List.of(place(libUri, LIB, "component train", "train"), place(uri("sub/nested.pipe"), NESTED,
                        "models.train", "train"), place(uri("train.pipe"), twice, "lib.train(data = raw.data, lr = 0.1",
                        "train"), place(uri("train.pipe"), twice, "lib.train(data = raw.data, lr = 0.2", "train"),
                        place(unrelated, buffer, "lib.train", "train")),
                describe(client.references(libUri, TRAIN_AT, true)));
    }

    /**
     * A change on disk that keeps the file's size and modification time is seen once the editor's watcher reports it
     * ({@code workspace/didChangeWatchedFiles}): here a file that comes to import the library.
     */
    @Test
    void aChangeTheWatcherReportsIsReadAgain() throws IOException {
        String elsewhere = TRAIN.replace("./lib.pipe", "./lob.pipe");
        write("later.pipe", elsewhere);
        start(new ServerOptions(Duration.ZERO));
        assertEquals(3, client.references(libUri, TRAIN_AT, true).size());
        Path later = project.resolve("later.pipe");
        FileTime modified = Files.getLastModifiedTime(later);
        Files.writeString(later, TRAIN);
        Files.setLastModifiedTime(later, modified);
        client.filesChanged(uri("later.pipe"));
        assertTrue(describe(client.references(libUri, TRAIN_AT, true)).contains(place(uri("later.pipe"), TRAIN, "lib.train",
                "train")));
    }

    /**
     * Hidden folders, {@code node_modules} and {@code target} are not searched; a file outside the workspace, and
     * one behind a link (to a file or a folder) out of it, are never read: a file there with a syntax error that
     * would refuse the rename (see below) does not.
     */
    @Test
    void filesOutsideTheWorkspaceSkippedFoldersAndLinksOutAreNeverRead() throws IOException {
        String importer = "import \"%s\" as lib\n\npipeline q(url: String) {\n  m = lib.train(data = url, lr = 0.1)\n}\n";
        write(".git/hook.pipe", importer.formatted("../lib.pipe"));
        write(".hidden/x.pipe", importer.formatted("../lib.pipe"));
        write("node_modules/pkg/x.pipe", importer.formatted("../../lib.pipe"));
        write("target/x.pipe", importer.formatted("../lib.pipe"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("o.pipe"), importer.formatted("../project/lib.pipe"));
        Files.writeString(outside.resolve("broken.pipe"), importer.formatted("../project/lib.pipe") + "pipeline (");
        Files.createSymbolicLink(project.resolve("linked"), outside);
        Files.createSymbolicLink(project.resolve("link.pipe"), outside.resolve("broken.pipe"));
        start(new ServerOptions(Duration.ZERO));
        assertEquals(trainsPlaces(), describe(client.references(libUri, TRAIN_AT, true)));
        assertEquals(trainsPlaces(), places(client.rename(libUri, TRAIN_AT, "fit_model")));
    }

    /** A closed importer whose syntax errors could hide a use refuses the rename; opened, it is renamed as it reads. */
    @Test
    void aClosedImporterWithASyntaxErrorRefusesTheRenameUntilOpened() throws IOException {
        String bad = TRAIN.replace("pipeline go", "pipeline go go");
        write("bad.pipe", bad);
        start(new ServerOptions(Duration.ZERO));
        String refusal = client.renameRefusal(libUri, TRAIN_AT, "fit_model");
        assertTrue(refusal.startsWith("cannot rename `train`: bad.pipe (not open) has a syntax error at 8:13 ("), refusal);
        assertTrue(refusal.endsWith("which could hide a use of `train`; fix it, or open it to rename with what can be"
                + " read of it"), refusal);
        client.openFile(project.resolve("bad.pipe"), bad);
        assertTrue(places(client.rename(libUri, TRAIN_AT, "fit_model")).contains(place(uri("train.pipe"), TRAIN, "lib.train",
                "train")));
    }

    /**
     * Past the bound on the files read, a rename is refused rather than made in part of the workspace, and references
     * answer with what was searched and say so; at the bound, both are whole.
     */
    @Test
    void pastTheBoundTheRenameIsRefusedAndReferencesSaySo() {
        // lib, train, unrelated, then sub/nested and sub/top (a folder's files before its subfolders): five files
        start(new ServerOptions(Duration.ZERO, 3));
        assertEquals("cannot rename `train`: the workspace holds more than 3 `.pipe` files (or 150 files and folders),"
                        + " more than the server reads, and a file past them could still use `train`; open the project's own"
                        + " folder as the workspace", client.renameRefusal(libUri, TRAIN_AT, "fit_model"));
        List<String> partial = describe(client.references(libUri, TRAIN_AT, true));
        // sub/nested.pipe is past the bound
        assertEquals(List.of(place(libUri, LIB, "component train", "train"), place(uri("train.pipe"), TRAIN, "lib.train",
                "train")), partial);
        assertEquals(List.of("references: the workspace holds more than 3 `.pipe` files (or 150 files and folders); the"
                        + " files past them were not searched"),
                client.shownMessages().stream().filter(m -> m.getType() == MessageType.Warning).map(m -> m.getMessage())
                        .distinct().toList());
        client.closeExpectingNoFailure();
        start(new ServerOptions(Duration.ZERO, 5));
        assertEquals(3, places(client.rename(libUri, TRAIN_AT, "fit_model")).size());
        assertEquals(List.of(), client.shownMessages());
    }

    /** Without workspace folders (a single file opened), only the open files and their imports are searched. */
    @Test
    void withoutAWorkspaceOnlyTheOpenFilesAreSearched() {
        client = LspClient.inProcess(Duration.ZERO);
        libUri = client.openFile(project.resolve("lib.pipe"), LIB);
        assertEquals(List.of(place(libUri, LIB, "component train", "train")),
                describe(client.references(libUri, TRAIN_AT, true)));
        assertEquals(List.of(place(libUri, LIB, "component train", "train")),
                places(client.rename(libUri, TRAIN_AT, "fit_model")));
    }

    /** The folders are the {@code workspaceFolders} an editor names, else its {@code rootUri}; only {@code file:} ones. */
    @Test
    void theWorkspaceIsTheFoldersNamedElseTheRoot() {
        Path other = dir.resolve("other");
        assertEquals(List.of(project, other), WorkspaceFiles.folders(List.of(LspClient.uri(project), LspClient.uri(other),
                "vsls:/shared"), LspClient.uri(dir)));
        assertEquals(List.of(dir), WorkspaceFiles.folders(List.of(), LspClient.uri(dir)));
        assertEquals(List.of(), WorkspaceFiles.folders(null, "untitled:Untitled-1"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Where the library's {@code train} is named in the workspace as written: its declaration and two calls. */
    private List<String> trainsPlaces() {
        return List.of(place(libUri, LIB, "component train", "train"), place(uri("sub/nested.pipe"), NESTED,
                "models.train", "train"), place(uri("train.pipe"), TRAIN, "lib.train", "train"));
    }

    private void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private String uri(String file) {
        return LspClient.uri(project.resolve(file));
    }

    private static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private static List<String> describe(List<? extends Location> locations) {
        return locations.stream().map(l -> RenameTest.describe(l.getUri(), l.getRange())).toList();
    }

    /** {@code freestone check} on every {@code .pipe} file of the project (the folders the server skips left out). */
    private void assertWorkspaceChecksClean() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(project)) {
            walk.filter(p -> p.toString().endsWith(".pipe")).sorted().forEach(files::add);
        }
        assertEquals(5, files.size(), files.toString());
        for (Path f : files) {
            CliRun check = CliRun.of("check", f.toString());
            assertEquals(0, check.code(), f + ": " + check.err());
            assertEquals("", check.err(), f.toString());
        }
    }
}
