package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone logs RUN fit} for a step that ran in a loop (KFP's ParallelFor): the logs of every
 * iteration, in iteration order, each line prefixed with its iteration, instead of "no task `fit`".
 */
class LoopLogsTest {
    @TempDir
    static Path dir;
    private static Map<String, String> env;
    private static String runId;

    @BeforeAll
    static void runALoop() throws IOException {
        env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        Path pipe = dir.resolve("loop.pipe");
        Files.writeString(pipe, """
                component fit(lr: Float) -> (score: Float) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo training with lr $0; printf 0.5 > \\"$1\\"", "${lr}", score]
                }

                component best(scores: List[Float]) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo picking; printf 1 > \\"$1\\"", scores, n]
                }

                pipeline sweep(rates: List[Float] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]) -> (n: Int) {
                  for lr in rates {
                    f = fit(lr = lr)
                  }
                  b = best(scores = f.score)
                  if b.n > 1 {
                    for lr in rates {
                      _g = fit(lr = lr)
                    }
                  }
                  output n = b.n
                }
                """);
        CliRun ran = CliRun.of(env, "run", "--progress", "none", pipe.toString());
        assertEquals(0, ran.code(), ran.out() + ran.err());
        runId = ran.runId();
    }

    private static CliRun logs(String... args) {
        return CliRun.command(env, "logs", args);
    }

    @Test
    void theLoopsStepByItsNameIsEveryIterationInOrder() {
        CliRun r = logs(runId, "f");
        assertEquals(0, r.code(), r.err());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            String lr = i == 9 ? "1.0" : i == 10 ? "1.1" : "0." + (i + 1);
            // each iteration by the item it ran with too: f[2] alone does not say which rate it trained with
            expected.append("[f[").append(i).append("] (lr=").append(lr).append(")] training with lr ").append(lr).append('\n');
        }
        assertEquals(expected.toString(), r.out());
        // one iteration is as before: its log alone, unprefixed
        assertEquals("training with lr 0.3\n", logs(runId, "f[2]").out());
    }

    @Test
    void anAttemptNeedsOneIterationAndAnUnknownTaskListsTheTasksInOrder() {
        CliRun attempt = logs(runId, "f", "--attempt", "1");
        assertEquals(2, attempt.code());
        assertEquals("error: `f` ran in a loop: --attempt needs one of its iterations\n  = help: e.g. `freestone logs " + runId
                + " 'f[0]' --attempt 1`\n", attempt.err());
        CliRun unknown = logs(runId, "evaluate");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("its tasks are: _g[*], b, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],"
                + " f[10]\n"), unknown.err());
        // a loop's step misspelt is suggested by its name, as it is asked for
        CliRun misspelt = logs(runId, "ff");
        assertEquals(1, misspelt.code());
        assertTrue(misspelt.err().contains("  = help: did you mean `f`?"), misspelt.err());
    }

    /** A loop whose branch was not taken never expanded: asked by its step's name, it says why there is no log. */
    @Test
    void aLoopThatNeverExpandedSaysWhyItHasNoLog() {
        CliRun r = logs(runId, "_g");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("task `_g[*]` of run " + runId + " has no log: it was Skipped"), r.err());
    }

    /**
     * An iteration whose process never started (a NUL in its item) has no log file: asked by the loop step's
     * name, it is said beside the iterations that printed, as `logs RUN` says it (it was silently left out).
     */
    @Test
    void anIterationThatNeverStartedIsSaidBesideThoseThatPrinted() throws IOException {
        Path pipe = dir.resolve("nul-loop.pipe");
        Files.writeString(pipe, """
                component say(m: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo saying $0; printf x > \\"$1\\"", m, out]
                }

                pipeline talk(words: List[String]) {
                  for w in words {
                    s = say(m = w)
                  }
                }
                """);
        Path params = Files.writeString(dir.resolve("nul-loop.json"), "{\"words\": [\"hello\", \"a\\u0000b\"]}");
        CliRun ran = CliRun.of(env, "run", "--progress", "none", pipe.toString(), "--params", params.toString());
        assertEquals(1, ran.code(), ran.out() + ran.err());
        for (String[] args : new String[][] {{ran.runId()}, {ran.runId(), "s"}}) {
            CliRun r = logs(args);
            assertEquals(0, r.code(), r.err());
            assertEquals("[s[0] (w=\"hello\")] saying hello\n", r.out());
            assertTrue(r.err().contains("note: task `s[1]` (w=\"a\\u0000b\") has no log: its process was never started"), r.err());
            assertFalse(r.err().contains("s[0]"), r.err());
        }
    }

    /**
     * {@code logs -f RUN s} typed while the loop's items are still being made: its iterations do not exist
     * yet, and it waits for them as for any step of a running run (it said "no task `s`").
     */
    @Test
    void followingALoopStepBeforeTheLoopExpandsWaitsForItsIterations() throws Exception {
        Path pipe = dir.resolve("later.pipe");
        Path go = dir.resolve("go");
        Files.writeString(pipe, """
                component names(go: String) -> (items: List[String]) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "while [ ! -e \\"$0\\" ]; do sleep 0.05; done; printf '[\\"a\\", \\"b\\"]' > \\"$1\\"", go, items]
                }

                component say(m: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo saying $0; printf x > \\"$1\\"", m, out]
                }

                pipeline later(go: String) {
                  n = names(go = go)
                  for w in n.items {
                    s = say(m = w)
                  }
                }
                """);
        java.util.concurrent.CompletableFuture<CliRun> ran = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> CliRun.of(env, "run", "--progress", "none", pipe.toString(), "-p", "go=" + go));
        try {
            String id = null;
            for (int i = 0; i < 400 && id == null; i++) {
                Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"(run-[0-9a-z-]+)\"").matcher(CliRun.of(env, "runs", "--output", "json").out());
                while (m.find()) {
                    if (CliRun.of(env, "show", m.group(1)).out().contains("later")) {
                        id = m.group(1);
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(id != null, "the run did not start");
            String run = id;
            java.util.concurrent.CompletableFuture<CliRun> followed = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> logs(run, "s", "--follow"));
            Thread.sleep(300);
            Files.writeString(go, "");
            CliRun r = followed.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            // followed, each iteration is named with its item as well: it is read again each round
            assertEquals("[s[0] (w=\"a\")] saying a\n[s[1] (w=\"b\")] saying b\n", r.out());
        } finally {
            Files.writeString(go, "");
            assertEquals(0, ran.get(60, java.util.concurrent.TimeUnit.SECONDS).code());
        }
    }
}
