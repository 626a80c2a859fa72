package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) or SIGTERM to a running {@code freestone run}: a clean, recorded cancellation. */
class InterruptE2ETest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalCancelsTheRunAndTheExitHandlerRuns(String signal) throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids");
        Path report = tmp.resolve("report.log");
        Path pipe = tmp.resolve("slow.pipe");
        Files.writeString(pipe, """
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
}
