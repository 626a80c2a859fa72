package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of a run deleted by hand (its steps' logs, its artifacts' objects): the commands that show
 * them say they are gone, naming them, instead of printing nothing or listing them as if present.
 */
class DeletedByHandE2ETest {
    static final String PIPE = """
            component say(text: String) -> (data: Dataset) {
              image  = "alpine:3.20"
              script = sh \"""
                echo "$text"
                echo "$text" > "$data"
              \"""
            }
            pipeline two() -> (a: Dataset, b: Dataset) {
              a = say(text = "hello-a")
              b = say(text = "hello-b")
              output a = a.data
              output b = b.data
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void logsNamesADeletedLogFile() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "two.pipe", PIPE).toString()).expect(0).runId();
        Path logA = logOf(fs, run, "a");
        Path logB = logOf(fs, run, "b");
        Files.delete(logB);

        Freestone.Result some = fs.cli("logs", run).expect(0);
        assertEquals("[a] hello-a\n", some.out());
        assertTrue(some.err().contains("note: no log of task `b`: its log file " + logB + " is gone"), some::all);
        assertTrue(some.err().contains("  = help: the file was deleted"), some::all);

        Freestone.Result one = fs.cli("logs", run, "b").expect(1);
        assertEquals("", one.out());
        assertTrue(one.err().contains("error: the log of task `b` of run " + run + " is gone: " + logB + " does not exist"),
                one::all);

        Files.delete(logA);
        Freestone.Result none = fs.cli("logs", run).expect(1);
        assertTrue(none.err().contains("error: no log of run " + run + " is left: the log files of its tasks are gone (`a` "
                + logA + ", `b` " + logB + ")"), none::all);
        Freestone.assertNoTrace(some.all() + one.all() + none.all());
    }

    @Test
    void artifactsMarksAnObjectDeletedFromTheStore() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "two.pipe", PIPE).toString()).expect(0).runId();
        JsonNode listed = Freestone.JSON.readTree(fs.cli("artifacts", run, "--output", "json").expect(0).out());
        String digestB = listed.get(1).get("digest").asText();
        try (RunStore store = fs.openStore()) {
            Files.delete(store.artifacts().get(digestB).orElseThrow());
        }

        Freestone.Result text = fs.cli("artifacts", run).expect(0);
        String rowA = text.out().lines().filter(l -> l.startsWith("a ")).findFirst().orElseThrow();
        String rowB = text.out().lines().filter(l -> l.startsWith("b ")).findFirst().orElseThrow();
        assertFalse(rowA.contains("(missing)"), text::all);
        assertTrue(rowB.endsWith("(missing)"), text::all);
        assertTrue(text.err().contains("note: 1 artifact is no longer in the artifact store"), text::all);

        JsonNode json = Freestone.JSON.readTree(fs.cli("artifacts", run, "--output", "json").expect(0).out());
        assertEquals("a", json.get(0).get("task").asText());
        assertTrue(json.get(0).get("missing").isBoolean() && !json.get(0).get("missing").asBoolean(), json::toPrettyString);
        assertTrue(json.get(1).get("missing").asBoolean(), json::toPrettyString);
    }

    @Test
    void anObjectReplacedByAFolderIsGoneForTheCacheAndForArtifacts() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "two.pipe", PIPE);
        String run = fs.cli("run", "--progress", "none", pipe.toString()).expect(0).runId();
        JsonNode listed = Freestone.JSON.readTree(fs.cli("artifacts", run, "--output", "json").expect(0).out());
        String digestB = listed.get(1).get("digest").asText();
        try (RunStore store = fs.openStore()) {
            Path object = store.artifacts().get(digestB).orElseThrow();
            Files.delete(object);
            Files.createDirectory(object);
        }

        Freestone.Result text = fs.cli("artifacts", run).expect(0);
        String rowB = text.out().lines().filter(l -> l.startsWith("b ")).findFirst().orElseThrow();
        assertTrue(rowB.endsWith("(missing)"), text::all);

        // the cache does not serve the folder: `b` runs again and stores its file anew
        Freestone.Result again = fs.cli("run", "--progress", "none", "--explain-cache", pipe.toString()).expect(0);
        assertTrue(again.out().contains("cache a: hit"), again::all);
        assertTrue(again.out().contains("cache b: miss - the last execution (run " + run + ") had the same key but an output of it"
                + " is no longer in the artifact store (deleted or replaced by hand)"), again::all);
        try (RunStore store = fs.openStore()) {
            assertTrue(Files.isRegularFile(store.artifacts().get(digestB).orElseThrow()), again::all);
        }
        Freestone.assertNoTrace(text.all() + again.all());
    }

    private static Path logOf(Freestone fs, String run, String task) {
        Path log = fs.logOf(run, task);
        assertTrue(Files.exists(log), log::toString);
        return log;
    }
}
