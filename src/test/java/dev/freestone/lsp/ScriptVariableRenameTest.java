package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.pos;
import static dev.freestone.lsp.RenameTest.describe;
import static dev.freestone.lsp.RenameTest.place;
import static dev.freestone.lsp.RenameTest.places;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.junit.jupiter.api.Test;

/**
 * Rename and references of an input or output reach the script's own reads of the environment variable Freestone
 * sets for it ({@code "$rows"}, {@code os.environ["lr"]}), exactly there: the renamed file checks clean and a local
 * run of it, whose scripts read the renamed variables, succeeds.
 */
class ScriptVariableRenameTest extends OneFileSession {
    static final String TEXT = """
            component make(rows: Int = 3) -> (data: Dataset) {
              image  = "alpine:3.20"
              script = sh \"""
                # $rows in a comment is text
                echo 'the $rows' > /dev/null
                seq "$rows" > "$data"
                test $rows -gt 0 && echo made ${rows} >&2
              \"""
            }

            component train(data: Dataset, lr: Float = 0.1) -> (score: Float) {
              image  = "python:3.12-slim"
              script = python \"""
                import os
                n = len(open(os.environ["data"]).read().split())
                scale = float(os.environ.get('lr', "1")) * n
                open(os.getenv("score"), "w").write(str(scale * float(os.environ [ "lr" ])))
              \"""
            }

            component note(msg: String = "hi") -> (out: Markdown) {
              image  = "python:3.12-slim"
              script = python "import os; open(os.environ[\\"out\\"], \\"w\\").write(os.environ[\\"msg\\"])"
            }

            component own(k: Int = 1, j: Int = 2) {
              image  = "alpine:3.20"
              script = \"""
                tmp=5
                k=$((k + 1))
                export e=1 j
                for t in 1; do echo "$t"; done
                read -r r < /dev/null || true
                echo "$k $j $tmp $e $r"
              \"""
            }

            pipeline p(n: Int = 4) -> (best: Float) {
              d = make(rows = n)
              t = train(data = d.data, lr = 0.5)
              w = note()
              o = own()
              output best = t.score
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    @Test
    void theFileChecksCleanAndRuns() {
        assertEquals(0, CliRun.of("check", dir.resolve("a.pipe").toString()).code());
        assertRuns("1.0");
    }

    @Test
    void aPythonScriptsReadsOfAnInputRenameWithIt() throws IOException {
        // asked at a read in the script, the rename is the input's
        assertEquals(place(uri, TEXT, "[ \"lr\" ]", "lr"),
                describe(uri, client.prepareRename(uri, pos(TEXT, "[ \"lr\" ]", 0, 3)).getRange()));
        assertRenamesAndRuns("lr = 0.5", "lr", "rate", "float(os.environ.get('rate', \"1\"))",
                "lr: Float", "get('lr'", "[ \"lr\" ]", "lr = 0.5");
    }

    @Test
    void anOutputTheScriptOpensByItsVariableRenamesWithIt() throws IOException {
        assertRenamesAndRuns("t.score", "score", "result", "open(os.getenv(\"result\"), \"w\")",
                "(score: Float)", "getenv(\"score\")", "t.score");
    }

    @Test
    void aShellScriptsExpansionsRenameButNotItsTextOrComments() throws IOException {
        assertRenamesAndRuns("rows = n", "rows", "count", "seq \"$count\" > \"$data\"",
                "rows: Int", "\"$rows\"", "$rows -gt", "${rows}", "rows = n");
    }

    @Test
    void aReadInAnEscapedStringIsFoundAtItsName() {
        List<? extends Location> refs = client.references(uri, pos(TEXT, "msg: String", 0, 0), true);
        assertEquals(List.of(place(uri, TEXT, "msg: String", "msg"), place(uri, TEXT, "[\\\"msg\\\"]", "msg")),
                refs.stream().map(l -> describe(l.getUri(), l.getRange())).toList());
    }

    @Test
    void aShellScriptThatSetsTheVariableItselfRefusesTheRename() {
        assertEquals("cannot rename `k` to `m`: the script at a.pipe:28 sets `k` itself, so which of its `$k` are "
                        + "Freestone's cannot be told; rename the script's own `k` first",
                client.renameRefusal(uri, pos(TEXT, "k: Int", 0, 0), "m"));
        assertEquals("cannot rename `j` to `tmp`: the script at a.pipe:28 sets `tmp` itself, so which of its `$tmp` are "
                        + "Freestone's cannot be told; rename the script's own `tmp` first",
                client.renameRefusal(uri, pos(TEXT, "j: Int", 0, 0), "tmp"));
        for (String own : List.of("e", "t", "r")) {
            assertTrue(client.renameRefusal(uri, pos(TEXT, "j: Int", 0, 0), own)
                    .startsWith("cannot rename `j` to `" + own + "`: the script at a.pipe:28 sets `" + own + "` itself"), own);
        }
        // any other new name is the input's alone (`export j` keeps the input's value)
        assertEquals(List.of(place(uri, TEXT, "j: Int", "j"), place(uri, TEXT, "$j", "j")),
                places(client.rename(uri, pos(TEXT, "j: Int", 0, 0), "jj")));
    }

    /**
     * Renames {@code name} where it stands in {@code at} to {@code newName}: the edit is at {@code name} in each of
     * {@code contexts}, in order; saved, the file holds {@code renamed}, checks clean and runs.
     */
    private void assertRenamesAndRuns(String at, String name, String newName, String renamed, String... contexts)
            throws IOException {
        WorkspaceEdit edit = client.rename(uri, pos(TEXT, at, 0, at.indexOf(name)), newName);
        assertEquals(Arrays.stream(contexts).map(c -> place(uri, TEXT, c, name)).toList(), places(edit));
        RenameTest.save(edit);
        assertTrue(Files.readString(dir.resolve("a.pipe")).contains(renamed));
        CliRun check = CliRun.of("check", dir.resolve("a.pipe").toString());
        assertEquals(0, check.code(), check.err());
        assertEquals("", check.err());
        assertRuns("1.0");
    }

    /** A local run of a.pipe succeeds, its scripts reading their variables, the pipeline's best {@code score}. */
    private void assertRuns(String score) {
        CliRun run = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "")), "run", dir.resolve("a.pipe").toString(), "--progress", "none");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("output best = " + score + "\n"), run.out());
    }
}
