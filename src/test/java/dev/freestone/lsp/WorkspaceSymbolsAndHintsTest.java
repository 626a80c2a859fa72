package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintKind;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Go to Symbol in Workspace" over a project's files, open and closed, as an editor asks it while the user types a
 * name; and the types an editor shows inline after loop variables and values.
 */
class WorkspaceSymbolsAndHintsTest {
    @TempDir
    Path dir;
    LspClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeExpectingNoFailure();
        }
    }

    private Path project() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("components"));
        Files.writeString(project.resolve("components/models.pipe"), LanguageServerTest.LIB + """

                artifact Checkpoint : Model

                component evaluate(model: Model) -> (accuracy: Float) {
                  image   = "python:3.12-slim"
                  command = ["evaluate", model, accuracy]
                }
                """);
        Files.writeString(project.resolve("train.pipe"), LanguageServerTest.MAIN);
        // a KFP component pasted in: the parser's recovery reads `@dsl.component(base_image=...)` as a component
        // `base_image`, which nobody wrote; the user's own pipeline after it is found
        Files.writeString(project.resolve("pasted.pipe"), """
                @dsl.component(base_image="python:3.12")
                def train_model(lr: float) -> float:
                    return lr

                pipeline tuned(x: String) {
                }
                """);
        // never read: a hidden folder and a build folder
        Files.createDirectories(project.resolve(".cache"));
        Files.writeString(project.resolve(".cache/old.pipe"), LanguageServerTest.LIB);
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("target/copy.pipe"), LanguageServerTest.LIB);
        return project;
    }

    private static List<String> described(List<? extends WorkspaceSymbol> symbols) {
        return symbols.stream().map(s -> s.getName() + " " + s.getKind() + " " + s.getContainerName() + ":"
                + (s.getLocation().getLeft().getRange().getStart().getLine() + 1)).toList();
    }

    @Test
    void findsTheDeclarationsOfEveryFileOfTheWorkspaceAsTheUserTypes() throws IOException {
        Path project = project();
        client = LspClient.inProcess(new ServerOptions(Duration.ZERO), new ClientCapabilities(), List.of(project));

        assertEquals(List.of(
                "Checkpoint Class components/models.pipe:14",
                "Config Struct components/models.pipe:2",
                "evaluate Function components/models.pipe:16",
                "fetch Function train.pipe:3",
                "fit Class train.pipe:9",
                "train Function components/models.pipe:9",
                "tuned Class pasted.pipe:5"), described(client.workspaceSymbols("")));
        // what is typed matches in order, ignoring case: `trn` is train, `EVAL` evaluate
        assertEquals(List.of("train Function components/models.pipe:9"), described(client.workspaceSymbols("trn")));
        assertEquals(List.of("evaluate Function components/models.pipe:16"), described(client.workspaceSymbols("EVAL")));
        assertTrue(client.workspaceSymbols("base_image").isEmpty(), "recovery's guess is no symbol");
        assertTrue(client.workspaceSymbols("zzz").isEmpty());

        // a location opens the file at the name
        WorkspaceSymbol evaluate = client.workspaceSymbols("evaluate").get(0);
        assertEquals(LspClient.uri(project.resolve("components/models.pipe")), evaluate.getLocation().getLeft().getUri());
        assertEquals(new Position(15, 10), evaluate.getLocation().getLeft().getRange().getStart());
    }

    @Test
    void anOpenFileIsSearchedAsTypedAndAClosedOneAsSavedOnDisk() throws IOException {
        Path project = project();
        client = LspClient.inProcess(new ServerOptions(Duration.ZERO), new ClientCapabilities(), List.of(project));
        String uri = client.openFile(project.resolve("train.pipe"), LanguageServerTest.MAIN);
        client.change(uri, LanguageServerTest.MAIN.replace("component fetch", "component download")
                .replace("fetch(url", "download(url"));
        assertEquals(List.of("download Function train.pipe:3"), described(client.workspaceSymbols("download")));
        assertTrue(client.workspaceSymbols("fetch").isEmpty(), "the unsaved name wins over the disk's");
        assertEquals(uri, client.workspaceSymbols("download").get(0).getLocation().getLeft().getUri());

        // a closed file edited on disk, as the editor's watcher reports it
        Path models = project.resolve("components/models.pipe");
        Files.writeString(models, Files.readString(models).replace("component evaluate", "component score")
                .replace("evaluate", "score"));
        client.filesChanged(LspClient.uri(models));
        assertEquals(List.of("score Function components/models.pipe:16"), described(client.workspaceSymbols("score")));
    }

    @Test
    void withoutAWorkspaceTheOpenFilesAreSearched() throws IOException {
        client = LspClient.inProcess(Duration.ZERO);
        Path lone = Files.createDirectories(dir.resolve("lone")).resolve("lib.pipe");
        client.openFile(lone, LanguageServerTest.LIB);
        assertEquals(List.of("Config Struct " + lone + ":2", "train Function " + lone + ":9"),
                described(client.workspaceSymbols("")));
    }

    @Test
    void anUnsavedBufferIsNamedByItsUri() throws IOException {
        Path project = project();
        client = LspClient.inProcess(new ServerOptions(Duration.ZERO), new ClientCapabilities(), List.of(project));
        client.open("untitled:Untitled-1", LanguageServerTest.LIB.replace("component train", "component draft"));
        assertEquals(List.of("draft Function untitled:Untitled-1:9"), described(client.workspaceSymbols("draft")));
        assertEquals("untitled:Untitled-1", client.workspaceSymbols("draft").get(0).getLocation().getLeft().getUri());
    }

    @Test
    void aWorkspaceLargerThanTheBoundAnswersWhatItReadAndSaysSo() throws IOException {
        Path project = project();
        client = LspClient.inProcess(new ServerOptions(Duration.ZERO, 2), new ClientCapabilities(), List.of(project));
        assertEquals(2, client.workspaceSymbols("").stream().map(WorkspaceSymbol::getContainerName).distinct().count());
        assertTrue(client.logMessages().stream().anyMatch(m -> m.getType() == MessageType.Warning
                && m.getMessage().contains("more than 2 `.pipe` files")), client.logMessages().toString());
    }

    static final String LOOPS = """
            component train(lr: Float, tag: String) -> (accuracy: Float) {
              image   = "python:3.12-slim"
              command = ["train", "${lr}", tag, accuracy]
            }

            pipeline sweep(rates: List[Float] = [0.1, 0.01]) {
              n = len(rates)
              label = "run-${n}"
              for lr in rates {
                t = train(lr = lr, tag = label)
              }
              for k in ["x", "y"] {
                u = train(lr = 0.5, tag = k)
              }
            }
            """;

    @Test
    void inlayHintsGiveTheTypesOfLoopVariablesAndValues() throws IOException {
        client = LspClient.inProcess(Duration.ZERO);
        String uri = client.openFile(dir.resolve("sweep.pipe"), LOOPS);
        List<InlayHint> hints = client.inlayHints(uri, new Range(new Position(0, 0), new Position(15, 0)));
        assertEquals(List.of("6:3 : Int", "7:7 : String", "8:8 : Float", "11:7 : String"), hints.stream()
                .map(h -> h.getPosition().getLine() + ":" + h.getPosition().getCharacter() + " " + h.getLabel().getLeft())
                .toList());
        assertTrue(hints.stream().allMatch(h -> h.getKind() == InlayHintKind.Type));
        // only those in the range asked for (the editor asks for what is on screen)
        assertEquals(1, client.inlayHints(uri, new Range(new Position(8, 0), new Position(9, 0))).size());
    }
}
