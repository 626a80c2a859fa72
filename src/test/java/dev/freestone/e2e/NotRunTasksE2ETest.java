package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that did not run says why in the run store's states (Skipped, Failed, Cancelled) and in one wording,
 * {@code skipped: `a` failed}, wherever a user reads it: the progress view (which says the state in its column
 * already, so the message goes on after the state's word), {@code show}'s text and JSON, {@code logs}. The engine's
 * own words (Omitted, Error) and Argo's are never shown.
 */
class NotRunTasksE2ETest {
    @TempDir
    Path tmp;

    private static final String PIPE = """
            component step(code: Int) -> (o: Int) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo making $0; echo oops >&2; printf %s \\"$0\\" > \\"$1\\"; exit $0", "${code}", o]
            }

            pipeline stops(go: Bool = false, yes: Bool = true, rates: List[Int] = [0, 3], none: List[Int] = []) -> () {
              a = step(code = 3)
              b = step(code = a.o)
              _e = step(code = b.o)
              if go {
                _c = step(code = 0)
              } else {
                _d = step(code = 0)
              }
              if yes {
                _h = step(code = 0)
              } else {
                _k = step(code = 0)
              }
              for lr in rates {
                f = step(code = lr)
              }
              _g = step(code = f.o[0])
              for n in none {
                _m = step(code = n)
              }
            }
            """;

    @Test
    void eachReasonIsWordedInTheRunStoresStatesEverywhere() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "stops.pipe", PIPE);
        Freestone.Result r = fs.cli("run", "--progress", "plain", p.toString()).expect(1);
        String run = r.runId();
        // the progress view: the state's word in its column, the reason after it
        List<String> reasons = List.of(
                "b  `a` failed",
                "_e  `b` was skipped",
                "_c  its condition was false",
                "_k  an earlier branch of the `if` was taken",
                "_g  an iteration of the loop over `lr` failed",
                "_m[*]  the loop over `n` had no items");
        for (String reason : reasons) {
            assertTrue(r.out().contains("  skipped    " + reason + "\n"), reason + ":\n" + r.all());
        }
        assertTrue(r.out().contains("  failed     a  0."), r::all);
        assertFalse(r.all().toLowerCase(Locale.ROOT).contains("omitted"), r::all);
        assertFalse(r.all().contains("not run:"), r::all);

        // show: the same reason as a message that reads alone, in text and in JSON (whose states stay as they were)
        String text = fs.cli("show", run).expect(0).out();
        JsonNode shown = fs.show(run);
        for (String reason : reasons) {
            String task = reason.substring(0, reason.indexOf("  "));
            String message = "skipped: " + reason.substring(task.length() + 2);
            assertTrue(text.contains("\n" + task + ": " + message + "\n"), message + ":\n" + text);
            assertEquals(message, Freestone.task(shown, task).get("message").asText(), task);
            assertEquals("Skipped", Freestone.state(shown, task), task);
        }
        assertFalse(text.toLowerCase(Locale.ROOT).contains("omitted"), text);

        // the status line reads right on its own: what happened and the log's last line, not "...its log (PATH)"
        String status = text.lines().filter(l -> l.startsWith("status ")).findFirst().orElseThrow();
        assertEquals("status   Failed: task `a` failed: step `a` (component `step`, image `alpine:3.20`) exited with code 3"
                + " on attempt 1; its log ends: oops", status);
        assertTrue(shown.get("message").asText().startsWith("task `a` failed: step `a` (component `step`, image"
                + " `alpine:3.20`) exited with code 3 on attempt 1; its log ends: oops\n"), shown.get("message").asText());
        assertFalse(shown.get("message").asText().contains("last lines of its log"), shown.get("message").asText());

        // logs: a skipped task has no log, and says why once
        Freestone.Result logs = fs.cli("logs", run, "b").expect(0);
        assertTrue(logs.err().contains("task `b` of run " + run + " has no log: it was Skipped (`a` failed)\n"), logs::all);
    }
}
