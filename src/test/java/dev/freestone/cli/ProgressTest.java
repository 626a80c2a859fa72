package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.runtime.local.ProgressListener.RunFinished;
import dev.freestone.runtime.local.ProgressListener.TaskChanged;
import dev.freestone.runtime.local.RunStatus;
import dev.freestone.runtime.local.TaskState;
import dev.freestone.runtime.store.LoopItem;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's progress view: what it prints on a terminal and in logs, and the counts of its status line. */
class ProgressTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text, true);

    private static TaskChanged change(String task, TaskState from, TaskState to) {
        return new TaskChanged("run-1", task, from, to, 1, Duration.ZERO, to == TaskState.FAILED ? "exited with code 3" : null, List.of());
    }

    @Test
    void theStatusLineCountsWhatIsDoneRunningAndFailed() {
        Progress view = Progress.onTerminal(out);
        view.onEvent(change("a", null, TaskState.PENDING));
        view.onEvent(change("b", null, TaskState.PENDING));
        view.onEvent(change("c", null, TaskState.PENDING));
        view.onEvent(change("a", TaskState.PENDING, TaskState.RUNNING));
        view.onEvent(change("b", TaskState.PENDING, TaskState.RUNNING));
        assertTrue(view.status().endsWith("done 0/3  running 2  failed 0  a, b"), view.status());
        view.onEvent(change("a", TaskState.RUNNING, TaskState.SUCCEEDED));
        view.onEvent(change("b", TaskState.RUNNING, TaskState.FAILED));
        view.onEvent(change("c", TaskState.PENDING, TaskState.OMITTED));
        assertTrue(view.status().endsWith("done 2/3  running 0  failed 1  "), view.status());
        view.close();

        String shown = text.toString();
        assertTrue(shown.contains("succeeded  a"), shown);
        assertTrue(shown.contains("failed     b  exited with code 3"), shown);
        // Argo's word for it is not the run store's
        assertTrue(shown.contains("skipped    c") && !shown.contains("omitted"), shown);
        assertTrue(shown.contains("\u001b[K"), "the status line is redrawn in place: " + shown);
        String lastLine = shown.substring(shown.lastIndexOf('\n') + 1);
        assertTrue(lastLine.isEmpty() || lastLine.endsWith("\r\u001b[K"), "closing leaves no status line: " + lastLine);
    }

    /** A log's last line from a progress bar (tqdm's carriage returns) or in colour would move the cursor on a terminal. */
    @Test
    void aMessageIsShownOnOneLineWithoutTerminalCodes() {
        Progress view = new Progress(Progress.Mode.plain, out);
        view.onEvent(new TaskChanged("run-1", "t", TaskState.RUNNING, TaskState.FAILED, 1, Duration.ZERO,
                "exited with code 1; last lines of its log (t.log):\n  | \u001b[31mepoch 1\u001b[0m\r 50%|#####|\r100%|##| 2/2\t"
                        + "\u202eab\u2066c", List.of()));
        view.close();
        String shown = text.toString();
        // a bidi override or isolate would reorder the rest of the line: a space too
        assertTrue(shown.contains("  t  exited with code 1; its log ends: epoch 1  50%|#####| 100%|##| 2/2  ab c\n"), shown);
        assertFalse(shown.chars().anyMatch(c -> c != '\n' && Character.isISOControl(c)), shown);
    }

    /** A failed attempt that will be retried is news while the step stays Running: a line of its own, on a terminal too. */
    @Test
    void aRetryAheadIsALineOfItsOwn() {
        Progress view = Progress.onTerminal(out);
        view.onEvent(change("f", TaskState.PENDING, TaskState.RUNNING));
        view.onEvent(new TaskChanged("run-1", "f", TaskState.RUNNING, TaskState.RUNNING, 1, Duration.ZERO,
                "attempt 1 failed; retrying in 10.0s: exited with code 3", List.of()));
        assertTrue(view.status().endsWith("done 0/1  running 1  failed 0  f"), view.status());
        view.close();
        assertTrue(text.toString().lines().anyMatch(l -> l.endsWith("retrying   f  attempt 1 failed; retrying in 10.0s: exited with code 3")),
                text::toString);
    }

    /** The task's line names the task: the message starts with what happened, not with the engine's name for the step. */
    @Test
    void aFailedLineStartsWithWhatHappened() {
        Progress view = new Progress(Progress.Mode.plain, out);
        view.onEvent(new TaskChanged("run-1", "fit[0]", TaskState.RUNNING, TaskState.FAILED, 1, Duration.ZERO,
                "step `fit[0]` (component `train`, image `python:3.12-slim`) exited with code 1 on attempt 1; last lines of"
                        + " its log (/home/someone/.freestone/runs/run-20261127-081338-07c5/fit[0]/attempt-1/log):\n  | "
                        + "Traceback (most recent call last):\n  | " + "x".repeat(80) + "\n  | ZeroDivisionError: float division by zero",
                List.of(new LoopItem("lr", "0.01"), new LoopItem("tag", "\"a\\u001b[2Jb\""))));
        view.onEvent(new TaskChanged("run-1", "load", TaskState.RUNNING, TaskState.ERROR, 1, Duration.ZERO,
                "step `load` (component `load`): its outputs could not be read: output `n` is not an Int", List.of()));
        view.close();
        List<String> lines = text.toString().lines().toList();
        // what happened and the log's last line, once: not the log's path and its lines joined with `   |` and cut
        // and which iteration failed, by its item (its text cannot drive the terminal either)
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("  failed     fit[0] (lr=0.01 tag=\"a\\u001b[2Jb\")  exited with code 1 on attempt 1; its log ends:"
                + " ZeroDivisionError: float division by zero")), lines::toString);
        // the run store's state, with the message `show` gives: an engine's error is a Failed task whose message says so
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("  failed     load  error: its outputs could not be read: output `n` is not an Int")),
                lines::toString);
        assertEquals("exited with code 2; its log is empty", Progress.brief("step `e` (component `e`) exited with code 2;"
                + " its log is empty (/tmp/run/e/attempt-1/log)", "e"));
        // another step's name is part of the message
        assertEquals("step `b` (component `c`) failed", Progress.withoutStep("step `b` (component `c`) failed", "a"));
    }

    /** A long message keeps its start (what happened) and its end (the log's last line), not only its start. */
    @Test
    void aLongMessageIsCutInItsMiddle() {
        String message = "attempt 1 failed; retrying in 10.0s: exited with code 1; last lines of its log ("
                + "/home/someone/.freestone/runs/run-20261127-081338-07c5/fit/attempt-1/log):\n  | "
                + "x".repeat(100) + "\n  | requests.exceptions.HTTPError: 503 Server Error";
        String cut = Progress.shortened(message.replace('\n', ' '));
        assertEquals(Progress.MESSAGE_WIDTH, cut.length(), cut);
        assertTrue(cut.startsWith("attempt 1 failed; retrying in 10.0s: exited with code 1"), cut);
        assertTrue(cut.endsWith("| requests.exceptions.HTTPError: 503 Server Error"), cut);
        assertEquals("short", Progress.shortened("short"));
        String emoji = "e".repeat(59) + "\uD83D\uDE00" + "y".repeat(200);
        assertTrue(Progress.shortened(emoji).startsWith("e".repeat(59) + "..."), "no half emoji: " + Progress.shortened(emoji));
    }

    /**
     * The engine announces a step only once its dependencies are done (its card is made when it starts): a chain
     * a, b, c showed "done 0/1" while a ran, and claimed that total exact. The top-level steps count from the start.
     */
    @Test
    void theTopLevelStepsCountBeforeTheEngineAnnouncesThem() throws Exception {
        Path file = Files.createTempFile("progress", ".pipe");
        try {
            Files.writeString(file, """
                    component nap(seconds: Float) {
                      image   = "alpine:3.20"
                      command = ["sleep", "${seconds}"]
                    }
                    pipeline chain() {
                      a = nap(seconds = 0.1)
                      b = nap(seconds = 0.1) after a
                      c = nap(seconds = 0.1) after b
                    }
                    """);
            FrontEnd.Compiled c = FrontEnd.compile(file, new dev.freestone.check.CheckOptions(java.util.Set.of(), false, null),
                    null, FrontEnd.RawParams.NONE);
            assertTrue(c.ir() != null, "the chain compiles");
            Progress view = Progress.onTerminal(new PrintWriter(new StringWriter())).forProgram(c.ir());
            view.onEvent(change("a", null, TaskState.PENDING));
            assertTrue(view.status().endsWith("done 0/3  running 0  failed 0  "), view.status());
            view.onEvent(change("a", TaskState.PENDING, TaskState.SUCCEEDED));
            view.onEvent(change("b", null, TaskState.PENDING));
            assertTrue(view.status().endsWith("done 1/3  running 0  failed 0  "), view.status());
            view.close();
        } finally {
            Files.delete(file);
        }
    }

    /** A loop's iterations join the total when the loop starts; the total of a pipeline with one is "at least". */
    @Test
    void theTotalCountsTheStepsKnownSoFar() throws Exception {
        Path file = Files.createTempFile("progress", ".pipe");
        try {
            Files.writeString(file, """
                    component nap(seconds: Float) {
                      image   = "alpine:3.20"
                      command = ["sleep", "${seconds}"]
                    }
                    pipeline naps(times: List[Float] = [0.1, 0.2]) {
                      for t in times {
                        n = nap(seconds = t)
                      }
                      last = nap(seconds = 0.1) after n
                    }
                    """);
            FrontEnd.Compiled c = FrontEnd.compile(file, new dev.freestone.check.CheckOptions(java.util.Set.of(), false, null),
                    null, FrontEnd.RawParams.NONE);
            Progress view = Progress.onTerminal(out).forProgram(c.ir());
            view.onEvent(change("last", null, TaskState.PENDING));
            assertTrue(view.status().endsWith("done 0/1+  running 0  failed 0  "), view.status());
            view.onEvent(change("n[0]", null, TaskState.PENDING));
            view.onEvent(change("n[1]", null, TaskState.PENDING));
            view.onEvent(change("n[0]", TaskState.PENDING, TaskState.SUCCEEDED));
            assertTrue(view.status().endsWith("done 1/3+  running 0  failed 0  "), view.status());
            view.close();
        } finally {
            Files.delete(file);
        }
        Progress flat = Progress.onTerminal(out);
        flat.onEvent(change("a", null, TaskState.PENDING));
        assertTrue(flat.status().endsWith("done 0/1  running 0  failed 0  "), "no loop: the total is exact: " + flat.status());
        flat.close();
    }

    @Test
    void manyTasksAreCountedAsTheyChange() {
        Progress view = Progress.onTerminal(out);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            view.onEvent(change("s" + i, null, TaskState.PENDING));
        }
        for (int i = 0; i < n; i++) {
            view.onEvent(change("s" + i, TaskState.PENDING, TaskState.RUNNING));
            view.onEvent(change("s" + i, TaskState.RUNNING, i % 1000 == 0 ? TaskState.CANCELLED : TaskState.CACHED));
        }
        assertTrue(view.status().endsWith("done 19980/20000  running 0  failed 20  "), view.status());
        view.close();
        assertEquals(n, text.toString().lines().filter(l -> l.contains("cached") || l.contains("cancelled")).count(),
                "one permanent line per finished task");
    }

    @Test
    void theStatusLineKeepsMovingBetweenEventsAndStopsWithTheView() throws Exception {
        Progress view = Progress.onTerminal(out);
        view.onEvent(change("slow", TaskState.PENDING, TaskState.RUNNING));
        int before = text.toString().length();
        Thread.sleep(4 * Progress.REDRAW_MILLIS);
        int ticking = text.toString().length();
        assertTrue(ticking > before, "redrawn while the step runs (its elapsed time moves)");
        view.onEvent(new RunFinished("run-1", RunStatus.SUCCEEDED, Duration.ZERO));
        view.close();
        int closed = text.toString().length();
        Thread.sleep(3 * Progress.REDRAW_MILLIS);
        assertEquals(closed, text.toString().length(), "nothing is drawn after the view closed");
    }

    @Test
    void aLineIsWrittenOutSoonAlsoWhenNothingFollowsIt() throws Exception {
        Progress view = new Progress(Progress.Mode.plain, out);
        view.onEvent(change("a", TaskState.PENDING, TaskState.RUNNING));
        view.onEvent(change("b", TaskState.PENDING, TaskState.RUNNING));
        Thread.sleep(4 * Progress.REDRAW_MILLIS);
        assertEquals(2, text.toString().lines().count(), "both lines are out while the steps run: " + text);
        view.close();
    }

    @Test
    void inALogEachChangeIsOnePlainLine() {
        Progress view = new Progress(Progress.Mode.plain, out);
        view.onEvent(change("a", null, TaskState.PENDING));
        view.onEvent(change("a", TaskState.PENDING, TaskState.RUNNING));
        view.onEvent(change("a", TaskState.RUNNING, TaskState.SUCCEEDED));
        view.close();
        String shown = text.toString();
        assertEquals(2, shown.lines().count(), shown);
        assertFalse(shown.contains("\u001b"), "no terminal codes in a log: " + shown);
    }
}
