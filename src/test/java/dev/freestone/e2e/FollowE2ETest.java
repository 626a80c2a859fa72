package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another terminal watches a run while it runs: {@code runs}, {@code show}, {@code logs -f}. */
class FollowE2ETest {
    @TempDir
    Path tmp;

    @Test
    void logsFollowPrintsEveryLineOfARunInProgressAndEndsWithIt() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path started = tmp.resolve("started");
        Path pipe = tmp.resolve("ticker.pipe");
        Files.writeString(pipe, """
                component tick(started: String, n: Int) -> (done: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "touch \\"$0\\"; i=1; while [ $i -le $1 ]; do echo tick $i; sleep 0.1; i=$((i+1)); done; printf '%s' \\"last line without newline\\"; printf $1 > \\"$2\\"", started, "${n}", done]
                }
                pipeline ticker(started: String, n: Int = 15) -> (done: Int) {
                  t = tick(started = started, n = n)
                  output done = t.done
                }
                """, StandardCharsets.UTF_8);
        Path logs = tmp.resolve("engine");
        Process engine = fs.start(logs, List.of(), "run", "--progress", "none", pipe.toString(), "-p", "started=" + started);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()), "the step did not start");
        String runId = new Freestone.Result(0, "", Freestone.read(logs.resolve("err.txt"))).runId();

        assertTrue(fs.show(runId).get("status").asText().equals("Running"), "the run shows Running while it runs");
        assertTrue(fs.cli("runs").expect(0).out().lines().anyMatch(l -> l.startsWith(runId) && l.contains("Running")));

        // from the last line printed so far, then every new one: the ticks after it, in order, to the end
        assertTrue(Freestone.eventually(30_000, () -> {
            try {
                return Files.readAllLines(fs.logOf(runId, "t")).size() >= 3;
            } catch (Exception notYet) {
                return false;
            }
        }), "the step did not print three lines");
        List<String> tail = fs.cli("logs", "--follow", "--tail", "1", runId).expect(0).out().lines().toList();
        // (on a slow machine the step may have ended by then: its last line is the one)
        int first = tail.get(0).startsWith("[t] tick ") ? Integer.parseInt(tail.get(0).replace("[t] tick ", "")) : 16;
        assertTrue(first >= 3, tail.toString());
        List<String> rest = new java.util.ArrayList<>(IntStream.rangeClosed(first, 15).mapToObj(i -> "[t] tick " + i).toList());
        rest.add("[t] last line without newline");
        assertEquals(rest, tail);

        Freestone.Result followed = fs.cli("logs", "--follow", runId);
        followed.expect(0);
        Freestone.await(engine, logs, 60).expect(0);
        List<String> expected = new java.util.ArrayList<>(IntStream.rangeClosed(1, 15).mapToObj(i -> "[t] tick " + i).toList());
        expected.add("[t] last line without newline");
        assertEquals(expected, followed.out().lines().toList());
        assertEquals("Succeeded", fs.show(runId).get("status").asText());
    }

    @Test
    void logsFollowWithTailPrintsAStepThatStartsLaterWhole() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        Path pipe = tmp.resolve("burst.pipe");
        Files.writeString(pipe, """
                component wait(started: String, go: String) -> (done: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo early; echo waiting; touch \\"$0\\"; while [ ! -e \\"$1\\" ]; do sleep 0.05; done; printf 1 > \\"$2\\"", started, go, done]
                }
                component burst(ready: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "i=1; while [ $i -le 30 ]; do echo line $i; i=$((i+1)); done", "${ready}"]
                }
                pipeline later(started: String, go: String) {
                  w = wait(started = started, go = go)
                  b = burst(ready = w.done)
                }
                """, StandardCharsets.UTF_8);
        Path engineLogs = tmp.resolve("engine");
        Process engine = fs.start(engineLogs, List.of(), "run", "--progress", "none", pipe.toString(),
                "-p", "started=" + started, "-p", "go=" + go);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()), "the step did not start");
        String runId = new Freestone.Result(0, "", Freestone.read(engineLogs.resolve("err.txt"))).runId();

        // the last line of the step running now; then `b`, which starts after that was printed, every line of it
        Path followLogs = tmp.resolve("follow");
        Process follow = fs.start(followLogs, List.of(), "logs", "--follow", "--tail", "1", runId);
        assertTrue(Freestone.eventually(30_000, () -> Freestone.read(followLogs.resolve("out.txt")).contains("[w] waiting")
                || !follow.isAlive()), "logs --follow printed nothing of the running step");
        Files.writeString(go, "");
        Freestone.Result followed = Freestone.await(follow, followLogs, 60);
        followed.expect(0);
        Freestone.await(engine, engineLogs, 60).expect(0);
        List<String> expected = new java.util.ArrayList<>(List.of("[w] waiting"));
        IntStream.rangeClosed(1, 30).forEach(i -> expected.add("[b] line " + i));
        assertEquals(expected, followed.out().lines().toList());
    }
}
