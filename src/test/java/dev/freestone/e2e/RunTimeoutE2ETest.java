package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline p() with { timeout = 2s }}: a {@code freestone run} past its pipeline's timeout stops its running
 * steps' process trees, leaves the rest not started, runs its {@code finally} block (which sees {@code Failed}) and ends
 * Failed, exit 1, as Argo ends a Workflow past its {@code activeDeadlineSeconds}.
 */
class RunTimeoutE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aRunPastItsTimeoutStopsItsStepsRunsItsFinallyAndFails() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids");
        Path report = tmp.resolve("report.log");
        Path pipe = Freestone.pipe(tmp, "bounded.pipe", InterruptE2ETest.STOPPABLE + """
                pipeline bounded(pids: String, log: String) with { timeout = 2s } {
                  s = slow(pids = pids)
                  a = later(x = s.done)
                  finally {
                    report(run_id = run.id, status = run.status, log = log)
                  }
                }
                """);
        long start = System.nanoTime();
        Freestone.Result r = fs.process(tmp.resolve("engine"), 60, "run", "--progress", "plain", pipe.toString(),
                "-p", "pids=" + pids, "-p", "log=" + report).expect(1);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        Freestone.assertNoTrace(r.all());
        // the deadline, then the kill's grace: far from the step's 120 s
        assertTrue(seconds < 30, "the run took " + seconds + "s");
        List<Long> steps = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertEquals(2, steps.size(), steps::toString);
        for (long pid : steps) {
            assertTrue(Freestone.eventually(2_000, () -> Freestone.gone(pid)), "step process " + pid + " survived");
        }
        String runId = r.runId();
        JsonNode run = fs.show(runId);
        assertEquals("Failed", run.get("status").asText(), run::toPrettyString);
        assertTrue(run.get("message").asText().contains("the run exceeded its timeout of 2s"), run::toPrettyString);
        assertEquals("Failed", state(run, "s"));
        assertTrue(Freestone.task(run, "s").get("message").asText().contains("the run exceeded its timeout of 2s"),
                run::toPrettyString);
        assertEquals("Cancelled", state(run, "a"));
        assertEquals("Succeeded", state(run, "report"));
        assertEquals(runId + " Failed", Files.readString(report).strip());
        assertTrue(r.all().contains("the run exceeded its timeout of 2s"), r::all);
        fs.assertStoreIntact();

        // resume starts a new deadline from its own start, as Argo's retry of a Workflow does: the step, quick now, ends
        Freestone.Result resumed = fs.process(tmp.resolve("resume"), 60, "resume", runId, "--progress", "none").expect(0);
        JsonNode next = fs.show(resumed.runId());
        assertEquals("Succeeded", next.get("status").asText(), next::toPrettyString);
        assertEquals("again", Freestone.task(next, "s").get("outputs").get("done").asText());
        assertEquals("Failed", fs.show(runId).get("status").asText(), "resume leaves a finished run as it was");
    }
}
