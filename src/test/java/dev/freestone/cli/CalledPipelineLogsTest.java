package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone logs RUN TASK} where TASK is a call of a pipeline, which runs no process of its own: the logs of
 * the tasks inside it, each line prefixed, as for a loop's step; in a loop, every iteration's.
 */
class CalledPipelineLogsTest {
    @TempDir
    static Path dir;
    private static LoggedRun run;

    @BeforeAll
    static void runAPipelineThatCallsAnother() throws IOException {
        run = LoggedRun.of(dir, "calls.pipe", """
                component say(word: String) {
                  image   = "alpine:3.20"
                  command = ["echo", "said", word]
                }

                pipeline twice(word: String) {
                  first = say(word = word)
                  second = say(word = "${word} again")
                }

                pipeline calls() {
                  w = twice(word = "hello")
                  for x in ["a", "b"] {
                    c = twice(word = x)
                  }
                }
                """);
    }

    @Test
    void aCallsLogsAreThoseOfTheTasksInsideIt() {
        CliRun w = run.logs("w");
        assertEquals(0, w.code(), w.err());
        assertEquals("[w/first] said hello\n[w/second] said hello again\n", w.out());
        assertEquals("", w.err());
    }

    @Test
    void aLoopOfCallsGivesEveryIterationsTasks() {
        CliRun c = run.logs("c");
        assertEquals(0, c.code(), c.err());
        assertEquals(List.of("[c[0]/first (x=\"a\")] said a", "[c[0]/second (x=\"a\")] said a again",
                "[c[1]/first (x=\"b\")] said b", "[c[1]/second (x=\"b\")] said b again"), c.out().lines().toList());
        // one iteration's call
        assertEquals("[c[1]/first (x=\"b\")] said b\n[c[1]/second (x=\"b\")] said b again\n", run.logs("c[1]").out());
    }

    @Test
    void anAttemptOfACallIsAUsageErrorNamingATaskInsideIt() {
        CliRun r = run.logs("w", "--attempt", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: `w` is a call of a pipeline: --attempt needs one of the tasks inside it\n"
                + "  = help: e.g. `freestone logs " + run.runId() + " 'w/first' --attempt 1`"), r.err());
    }
}
