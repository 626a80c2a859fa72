package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) or SIGTERM to a running {@code freestone run}: a clean, recorded cancellation. */
class InterruptE2ETest {
    /**
     * Steps to stop: {@code slow} writes its pids to {@code pids} and sleeps 120 s (the second time, {@code pids} not
     * empty, it ends at once with {@code done} "again"); {@code report} appends the run's id and status to {@code log}.
     */
    static final String STOPPABLE = """
            component slow(pids: String) -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "if [ -s \\"$0\\" ]; then printf again > \\"$1\\"; exit 0; fi; sleep 120 & echo $! >> \\"$0\\"; echo $$ >> \\"$0\\"; wait", pids, done]
            }
            component later(x: String) {
              image   = "alpine:3.20"
              command = ["echo", x]
            }
            component report(run_id: String, status: String, log: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo \\"$0 $1\\" >> \\"$2\\"", run_id, status, log]
            }
            """;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalCancelsTheRunAndTheExitHandlerRuns(String signal) throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids");
        Path report = tmp.resolve("report.log");
        Path pipe = tmp.resolve("slow.pipe");
        Files.writeString(pipe, STOPPABLE + """
                pipeline slow_run(pids: String, log: String) {
                  s = slow(pids = pids)
                  a = later(x = s.done)
                  finally {
                    report(run_id = run.id, status = run.status, log = log)
                  }
                }
                """, StandardCharsets.UTF_8);
        Path logs = tmp.resolve("engine");
        Process engine = fs.start(logs, List.of(), "run", "--progress", "plain", pipe.toString(),
                "-p", "pids=" + pids, "-p", "log=" + report);
        Freestone.eventually(30_000, () -> Freestone.read(pids).lines().count() == 2 || !engine.isAlive());
        assertTrue(Freestone.read(pids).lines().count() == 2,
                "the step did not start: " + Freestone.read(logs.resolve("err.txt")));
        List<Long> steps = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(engine.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        Freestone.Result r = Freestone.await(engine, logs, 60);
        assertEquals(signal.equals("INT") ? 130 : 143, r.exit(), r::all);
        Freestone.assertNoTrace(r.all());
        for (long pid : steps) {
            assertTrue(Freestone.eventually(2_000, () -> Freestone.gone(pid)), "step process " + pid + " survived");
        }
        String runId = r.runId();
        JsonNode run = fs.show(runId);
        assertEquals("Cancelled", run.get("status").asText(), run::toPrettyString);
        assertTrue(run.hasNonNull("finishedAt"), run::toPrettyString);
        assertEquals("Cancelled", state(run, "s"));
        assertEquals("Cancelled", state(run, "a"));
        assertEquals("Succeeded", state(run, "report"));
        // as on Argo, the exit handler of a cancelled run sees Failed (docs/local-engine.md)
        assertEquals(runId + " Failed", Files.readString(report).strip());
        fs.assertStoreIntact();

        // a cancelled run can be resumed; the step runs again (it had not succeeded), then the rest
        Freestone.Result resumed = fs.process(tmp.resolve("resume"), 60, "resume", runId, "--progress", "none").expect(0);
        JsonNode next = fs.show(resumed.runId());
        assertEquals("Succeeded", state(next, "s"));
        assertEquals("again", Freestone.task(next, "s").get("outputs").get("done").asText());
        assertEquals("Succeeded", state(next, "a"));
        assertEquals("Cancelled", fs.show(runId).get("status").asText(), "resume leaves a finished run as it was");
        assertEquals(List.of(runId + " Failed", resumed.runId() + " Succeeded"), Files.readAllLines(report));
    }

    /**
     * A step that exits 0 on SIGTERM (a training script saving a checkpoint on its way out) has not
     * finished: its outputs are half-written, and a later run must not reuse them from the cache.
     */
    @Test
    void aStepThatExitsZeroWhenStoppedIsCancelledAndNeverCached() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path started = tmp.resolve("started");
        Path pipe = tmp.resolve("graceful.pipe");
        Files.writeString(pipe, """
                component train(started: String) -> (model: Model) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "if [ -e \\"$0\\" ]; then echo full > \\"$1\\"; exit 0; fi; trap 'echo partial > \\"$1\\"; exit 0' TERM; touch \\"$0\\"; sleep 60 & wait", started, model]
                }
                component read(model: Model) -> (text: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "cat \\"$0\\" > \\"$1\\"", model, text]
                }
                pipeline graceful(started: String) -> (text: String) {
                  t = train(started = started)
                  r = read(model = t.model)
                  output text = r.text
                }
                """, StandardCharsets.UTF_8);
        Path logs = tmp.resolve("engine");
        Process engine = fs.start(logs, List.of(), "run", "--progress", "plain", pipe.toString(), "-p", "started=" + started);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()),
                () -> "the step did not start: " + Freestone.read(logs.resolve("err.txt")));
        Thread.sleep(200); // the step's trap is set before it marks itself started; let `sleep` begin too
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(engine.pid())).inheritIO().start().waitFor(),
                () -> Freestone.read(logs.resolve("err.txt")) + Freestone.read(logs.resolve("out.txt")));
        Freestone.Result stopped = Freestone.await(engine, logs, 60);
        assertEquals(143, stopped.exit(), stopped::all);
        JsonNode run = fs.show(stopped.runId());
        assertEquals("Cancelled", state(run, "t"), run::toPrettyString);
        assertEquals("Cancelled", state(run, "r"), run::toPrettyString);

        Freestone.Result again = fs.process(tmp.resolve("again"), 60, "run", "--progress", "none", pipe.toString(),
                "-p", "started=" + started).expect(0);
        assertTrue(again.out().contains("output text = full"), again::all);
        assertEquals("Succeeded", state(fs.show(again.runId()), "t"), "the stopped step's outputs were reused");
        fs.assertStoreIntact();
    }
}
