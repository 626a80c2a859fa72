package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone logs} on a local run through {@link Main#run}: a run whose task {@code flaky} failed
 * once and succeeded on its second attempt, beside a task {@code steady} that ran once. {@code --attempt}
 * names one task's attempt; one that does not exist is an error, never another attempt's log.
 */
class LogsCommandTest {
    @TempDir
    static Path dir;
    private static Map<String, String> env;
    private static String runId;

    @BeforeAll
    static void runAPipelineWithARetry() throws IOException {
        env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        Path pipe = dir.resolve("retry.pipe");
        Files.writeString(pipe, """
                component flaky(count: String) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo x >> \\"$0\\"; n=$(wc -l < \\"$0\\"); echo flaky attempt $n; [ $n -ge 2 ] || exit 7; printf $n > \\"$1\\"", count, n]
                  retry { limit = 2  backoff = 1s }
                }

                component steady(word: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo steady $0; printf $0 > \\"$1\\"", word, out]
                }

                pipeline retried(count: String) -> (n: Int, word: String) {
                  f = flaky(count = count)
                  s = steady(word = "calm")
                  output n = f.n
                  output word = s.out
                }
                """);
        CliRun ran = CliRun.of(env, "run", "--progress", "none", pipe.toString(), "-p", "count=" + dir.resolve("count"));
        assertEquals(0, ran.code(), ran.out() + ran.err());
        runId = ran.runId();
    }

    private static CliRun logs(String... args) {
        return CliRun.command(env, "logs", args);
    }

    @Test
    void anAttemptOfATaskIsItsLogAndTheLastIsTheDefault() {
        assertEquals("flaky attempt 1\n", logs(runId, "f", "--attempt", "1").out());
        assertEquals("flaky attempt 2\n", logs(runId, "f", "--attempt", "2").out());
        assertEquals("flaky attempt 2\n", logs(runId, "f").out());
        // the run has ended, so --follow prints what there is and stops
        assertEquals("flaky attempt 1\n", logs(runId, "f", "--attempt", "1", "--follow").out());
        CliRun all = logs(runId);
        assertEquals(0, all.code(), all.err());
        assertEquals(List.of("[f] flaky attempt 2", "[s] steady calm"), all.out().lines().sorted().toList());
    }

    @Test
    void anAttemptATaskDoesNotHaveIsAnErrorWithOrWithoutFollow() {
        for (List<String> extra : List.of(List.<String>of(), List.of("--follow"))) {
            CliRun r = logs(concat(List.of(runId, "f", "--attempt", "3"), extra));
            assertEquals(1, r.code(), extra + ": " + r.err());
            assertEquals("error: task `f` of run " + runId + " has no attempt 3\n"
                    + "  = help: its attempts are 1, 2; without --attempt the last one is shown\n", r.err(), extra.toString());
            assertEquals("", r.out(), extra + ": no log of another attempt");
            CliRun once = logs(concat(List.of(runId, "s", "--attempt", "2"), extra));
            assertEquals(1, once.code(), extra + ": " + once.err());
            assertTrue(once.err().startsWith("error: task `s` of run " + runId + " has no attempt 2\n"), once.err());
            assertEquals("", once.out());
        }
    }

    /** A step that printed nothing: said on stderr, or an empty terminal reads as a `logs` that did not work. */
    @Test
    void emptyLogsAreSaidToBeEmpty() throws IOException {
        Map<String, String> silentHome = Map.of("FREESTONE_HOME", dir.resolve("silent-home").toString());
        Path pipe = dir.resolve("silent.pipe");
        Files.writeString(pipe, """
                component quiet(x: Int) -> (y: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf $0 > \\"$1\\"", "${x}", y]
                }

                pipeline silent(xs: List[Int] = [1, 2]) -> (ys: List[Int]) {
                  for x in xs {
                    q = quiet(x = x)
                  }
                  output ys = q.y
                }
                """);
        CliRun ran = CliRun.of(silentHome, "run", "--progress", "none", pipe.toString());
        assertEquals(0, ran.code(), ran.out() + ran.err());
        CliRun one = CliRun.command(silentHome, "logs", ran.runId(), "q[0]");
        assertEquals(0, one.code(), one.err());
        assertEquals("", one.out());
        assertEquals("note: task `q[0]` wrote nothing to stdout or stderr\n", one.err());
        CliRun loop = CliRun.command(silentHome, "logs", ran.runId(), "q");
        assertEquals("note: its 2 tasks wrote nothing to stdout or stderr\n", loop.err());
        // a run with something to show says nothing more
        assertEquals("", logs(runId).err());
    }

    @Test
    void anAttemptWithoutATaskIsAUsageError() {
        // attempts are numbered per task: `--attempt 2` of a run would mostly name attempts that never were
        for (List<String> args : List.of(List.of(runId, "--attempt", "2"), List.of(runId, "--attempt", "1", "--follow"),
                List.of("run-nope", "--attempt", "1"))) {
            CliRun r = logs(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.err());
            assertTrue(r.err().startsWith("error: --attempt needs a TASK: attempts are numbered per task\n"), r.err());
            assertTrue(r.err().contains("  = help: e.g. `freestone logs " + args.get(0) + " TASK --attempt "), r.err());
            assertEquals("", r.out(), args.toString());
        }
        CliRun zero = logs(runId, "f", "--attempt", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().startsWith("error: --attempt 0: attempts are numbered from 1\n"), zero.err());
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
