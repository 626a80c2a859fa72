package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeLens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "▶ Run" above each pipeline of a file, for the VS Code extension, which says at {@code initialize} that it runs
 * the lens's command ({@code runLens}); a client that does not say so is offered no lens (it would not know the
 * command).
 */
class RunLensTest {
    @TempDir
    Path dir;
    LspClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeExpectingNoFailure();
        }
    }

    static final String TWO = """
            component hello(who: String) {
              image   = "alpine:3.20"
              command = ["echo", "hello", who]
            }

            pipeline greet(who: String = "you") {
              h = hello(who = who)
            }

            /// The same, twice.
            pipeline twice() {
              a = hello(who = "a")
              b = hello(who = "b")
            }
            """;

    private LspClient start(Boolean runLens) {
        JsonObject options = new JsonObject();
        if (runLens != null) {
            options.addProperty("runLens", runLens);
        }
        return LspClient.inProcess(new ServerOptions(Duration.ZERO), new ClientCapabilities(), List.of(), options);
    }

    private static List<String> described(List<? extends CodeLens> lenses) {
        return lenses.stream().map(l -> l.getRange().getStart().getLine() + ":" + l.getRange().getStart().getCharacter()
                + " " + l.getCommand().getTitle() + " " + l.getCommand().getCommand() + " " + l.getCommand().getArguments())
                .toList();
    }

    @Test
    void eachPipelineHasARunLensWithItsFileAndName() {
        client = start(true);
        assertTrue(client.initialized().getCapabilities().getCodeLensProvider() != null);
        String uri = client.openFile(dir.resolve("two.pipe"), TWO);
        assertEquals(List.of(
                "5:9 ▶ Run greet freestone.run [\"" + uri + "\", \"greet\"]",
                "6:2 ▶ Run to here freestone.run [\"" + uri + "\", \"greet\", \"h\"]",
                "10:9 ▶ Run twice freestone.run [\"" + uri + "\", \"twice\"]",
                "11:2 ▶ Run to here freestone.run [\"" + uri + "\", \"twice\", \"a\"]",
                "12:2 ▶ Run to here freestone.run [\"" + uri + "\", \"twice\", \"b\"]"), described(client.codeLenses(uri)));

        // a KFP component pasted above: recovery's guesses get no lens, the user's pipeline keeps its own
        client.change(uri, "@dsl.pipeline(name=\"x\")\ndef p():\n    pass\n\n" + TWO);
        assertEquals(List.of("9:9 ▶ Run greet", "10:2 ▶ Run to here", "14:9 ▶ Run twice", "15:2 ▶ Run to here",
                "16:2 ▶ Run to here"), client.codeLenses(uri).stream()
                .map(l -> l.getRange().getStart().getLine() + ":" + l.getRange().getStart().getCharacter() + " "
                        + l.getCommand().getTitle()).toList());
    }

    /**
     * "▶ Run to here" (the CLI's `--only STEP`) above the named steps, in loops and `if`s too; not above a value, an
     * unnamed call, or a step of `finally` (every run runs it).
     */
    @Test
    void eachNamedStepHasARunToHereLens() {
        client = start(true);
        String uri = client.openFile(dir.resolve("steps.pipe"), """
                component hello(who: String) -> (said: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo hello \\"$0\\" | tee \\"$1\\"", who, said]
                }

                pipeline steps(names: List[String] = ["a"], loud: Bool = false) {
                  who = "world"
                  first = hello(who = who)
                  for n in names {
                    each = hello(who = n)
                  }
                  if loud {
                    shout = hello(who = first.said)
                  }
                  hello(who = "unnamed")
                  finally {
                    bye = hello(who = "bye")
                  }
                }
                """);
        assertEquals(List.of(
                "5:9 ▶ Run steps freestone.run [\"" + uri + "\", \"steps\"]",
                "7:2 ▶ Run to here freestone.run [\"" + uri + "\", \"steps\", \"first\"]",
                "9:4 ▶ Run to here freestone.run [\"" + uri + "\", \"steps\", \"each\"]",
                "12:4 ▶ Run to here freestone.run [\"" + uri + "\", \"steps\", \"shout\"]"),
                described(client.codeLenses(uri)));
    }

    @Test
    void theVsCodeExtensionDeclaresTheLenssCommand() throws java.io.IOException {
        String manifest = java.nio.file.Files.readString(Path.of("editors/vscode/package.json"));
        assertTrue(manifest.contains("\"command\": \"" + TextDocuments.RUN_COMMAND + "\""), manifest);
    }

    @Test
    void aClientThatDoesNotRunTheCommandIsOfferedNoLens() {
        client = start(null);
        assertNull(client.initialized().getCapabilities().getCodeLensProvider());
        String uri = client.openFile(dir.resolve("two.pipe"), TWO);
        assertEquals(List.of(), client.codeLenses(uri));
        client.closeExpectingNoFailure();
        client = start(false);
        assertNull(client.initialized().getCapabilities().getCodeLensProvider());
    }
}
