package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone logs --tail N} on a local run, as a user reads the end of a long training log: the last N lines of
 * each task's log, read from the end of the file (a log of 20,000 lines over several 64 KiB blocks), a last line
 * without its newline counted as one.
 */
class LogsTailTest {
    @TempDir
    static Path dir;
    private static LoggedRun run;

    @BeforeAll
    static void runAPipelineWithLongLogs() throws IOException {
        run = LoggedRun.of(dir, "chatty.pipe", """
                component talk(n: Int, last: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "i=1; while [ $i -le $0 ]; do echo epoch $i loss 0.$i; i=$((i+1)); done; printf \\"$1\\"", "${n}", last]
                }

                pipeline chatty() {
                  a = talk(n = 20000, last = "done, no newline")
                  b = talk(n = 2, last = "bye\\n")
                }
                """);
    }

    @Test
    void theLastLinesOfEachTasksLog() {
        CliRun a = run.logs("a", "--tail", "3");
        assertEquals(0, a.code(), a.err());
        assertEquals("epoch 19999 loss 0.19999\nepoch 20000 loss 0.20000\ndone, no newline\n", a.out());

        CliRun all = run.logs("--tail", "2");
        assertEquals("[a] epoch 20000 loss 0.20000\n[a] done, no newline\n[b] epoch 2 loss 0.2\n[b] bye\n", all.out());
        assertEquals("", all.err());

        // across the blocks read from the end: the 15,000 lines are exactly the last ones
        List<String> many = run.logs("a", "--tail", "15000").out().lines().toList();
        assertEquals(15000, many.size());
        assertEquals("epoch 5002 loss 0.5002", many.get(0));
        // more lines than the log has: the whole log
        assertEquals(run.logs("b").out(), run.logs("b", "--tail", "100").out());
        assertEquals(3, run.logs("b", "--tail", "100").out().lines().count());
        // none: nothing printed, and no note that the step wrote nothing
        CliRun none = run.logs("--tail", "0");
        assertEquals("", none.out());
        assertEquals("", none.err());
    }

    @Test
    void aNegativeCountIsAUsageError() {
        CliRun r = run.logs("--tail", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --tail -1: a number of lines, 0 or more\n  = help: e.g. --tail 20"), r.err());
    }

    @Test
    void whereTheLastLinesBegin() throws IOException {
        Path f = dir.resolve("log");
        for (var c : List.of(
                new Object[] {"", 3, 0L}, new Object[] {"\n", 1, 0L}, new Object[] {"\n\n", 1, 1L},
                new Object[] {"a\nb\n", 1, 2L}, new Object[] {"a\nb", 1, 2L}, new Object[] {"a\nb", 2, 0L},
                new Object[] {"a\nb\n", 0, 4L}, new Object[] {"a\n\nc\n", 2, 2L})) {
            Files.writeString(f, (String) c[0]);
            assertEquals((long) c[2], LogsCommand.tailStart(f, (int) c[1]), "last " + c[1] + " of " + c[0].toString().replace("\n", "\\n"));
        }
    }
}
