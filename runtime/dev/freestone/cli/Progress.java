package dev.freestone.cli;

import dev.freestone.ir.Ir;
import dev.freestone.runtime.local.LogTail;
import dev.freestone.runtime.local.ProgressListener;
import dev.freestone.runtime.local.TaskState;
import dev.freestone.runtime.store.LoopItem;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The progress view of a run. On a terminal: a status line redrawn in place (done out of the steps
 * known so far, running, failed, elapsed, the running steps) with a permanent line per finished step. Otherwise: one plain
 * line per state change, suitable for logs.
 *
 * <p>The engine calls {@link #onEvent} from its threads, a few times per step: an event costs the
 * same whatever the number of tasks (counts kept as states change, not recounted), and what it
 * prints is written out at most every {@value #REDRAW_MILLIS} ms, by the event or else by a ticker,
 * which also redraws the status line so that its elapsed time moves while nothing changes. (Redrawn
 * and flushed on every event by counting every task, the view made a 10,000-step run 60% slower on
 * a terminal.)
 */
final class Progress implements ProgressListener {
    enum Mode { auto, plain, none }

    static final long REDRAW_MILLIS = 100;
    private static final int NAMES_WIDTH = 60;
    static final int MESSAGE_WIDTH = 160;
    private static final int MESSAGE_HEAD = 60;

    private final Mode mode;
    /** the pipeline has steps that join the total only when they start: it is shown as "at least" */
    private boolean totalMayGrow;
    /** the top-level steps, counted from the start: the engine announces a step only once its dependencies are done */
    private final java.util.Set<String> expected = new java.util.HashSet<>();
    /** announced tasks that are not in {@link #expected} (loop iterations, branches' steps, ...) */
    private int unexpected;
    private final PrintWriter out;
    private final boolean live;
    private final Map<String, TaskState> states = new HashMap<>();
    private final TreeSet<String> running = new TreeSet<>();
    private int done;
    private int failed;
    private final long start = System.nanoTime();
    private boolean statusShown;
    private long drawnAt;
    /** what was printed since the last write to {@code out} */
    private final StringBuilder pending = new StringBuilder();
    private long writtenAt;
    private Thread ticker;
    private boolean closed;

    Progress(Mode mode, PrintWriter out) {
        this(mode == Mode.auto && StandardOut.outputIsTerminal() && !"dumb".equals(System.getenv("TERM")), mode, out);
    }

    /** The terminal view, whatever {@code out} is (for tests). */
    static Progress onTerminal(PrintWriter out) {
        return new Progress(true, Mode.auto, out);
    }

    private Progress(boolean live, Mode mode, PrintWriter out) {
        this.mode = mode;
        this.out = out;
        this.live = live;
    }

    /**
     * Marks the total as a lower bound when {@code program} has steps the engine announces only once
     * they start: a loop's iterations (its list may be known only then), a branch's steps, a called
     * pipeline's, the {@code finally} block's.
     */
    Progress forProgram(Ir.Program program) {
        Ir.Dag root = program.root();
        // a top-level step's task id is its IR id
        root.body().stream().filter(n -> n instanceof Ir.Task t && t.callee() instanceof Ir.ComponentCall)
                .forEach(n -> expected.add(n.id()));
        totalMayGrow = !root.exitHandler().isEmpty() || root.body().stream()
                .anyMatch(n -> !(n instanceof Ir.Task t) || t.callee() instanceof Ir.PipelineCall);
        return this;
    }

    @Override
    public synchronized void onEvent(Event event) {
        if (mode == Mode.none || closed) {
            return;
        }
        if (event instanceof RunFinished) {
            stopTicker();
            write();
            return;
        }
        if (event instanceof RunWaiting w) {
            // before any step: the run's own mutex is held by another
            clearStatus();
            pending.append(String.format("%8s  %-10s %s", elapsed(), "waiting", "run")).append("  ")
                    .append(shortened(oneLine(w.message()))).append(System.lineSeparator());
            write();
            startTicker();
            return;
        }
        if (event instanceof TaskChanged t) {
            TaskState before = states.put(t.taskId(), t.to());
            if (before == null && !expected.contains(t.taskId())) {
                unexpected++;
            }
            count(before, t.taskId(), -1);
            count(t.to(), t.taskId(), 1);
            boolean terminal = t.to() != TaskState.PENDING && t.to() != TaskState.RUNNING;
            // news of a task whose state stays (a retry ahead) gets its own line, as an end does
            boolean news = t.from() == t.to();
            long now = System.nanoTime();
            if (live) {
                if (terminal || news) {
                    clearStatus();
                    pending.append(line(t)).append(System.lineSeparator());
                }
                if (now - drawnAt >= REDRAW_MILLIS * 1_000_000) {
                    redraw(now);
                }
            } else if (t.to() != TaskState.PENDING || news) {
                pending.append(line(t)).append(System.lineSeparator());
            }
            if (now - writtenAt >= REDRAW_MILLIS * 1_000_000) {
                write();
            }
            startTicker();
        }
    }

    /** Adds ({@code delta} 1) or removes (-1) a task in {@code state} from the counts. */
    private void count(TaskState state, String taskId, int delta) {
        if (state == null) {
            return;
        }
        switch (state) {
            case SUCCEEDED, CACHED, SKIPPED, OMITTED -> done += delta;
            case RUNNING -> {
                if (delta > 0) {
                    running.add(taskId);
                } else {
                    running.remove(taskId);
                }
            }
            case FAILED, ERROR, CANCELLED -> failed += delta;
            default -> {
            }
        }
    }

    private String line(TaskChanged t) {
        StringBuilder b = new StringBuilder();
        // the run store's states and messages, as `show` gives them: Error is failed, Omitted skipped
        dev.freestone.runtime.store.TaskState shown = t.to().recorded();
        // news of a Pending task: it waits for a mutex; of a Running one: a retry ahead
        String what = t.from() != t.to() ? shown.name().toLowerCase(java.util.Locale.ROOT)
                : t.to() == TaskState.PENDING ? "waiting" : "retrying";
        b.append(String.format("%8s  %-10s %s", elapsed(), what, t.taskId()));
        if (shown == dev.freestone.runtime.store.TaskState.Failed && !t.items().isEmpty()) {
            // which iteration it was, not only its position: `fit[3] (lr=0.01)`
            b.append(" (").append(oneLine(LoopItem.label(t.items()))).append(')');
        }
        if (t.attempt() > 1) {
            b.append("  (attempt ").append(t.attempt()).append(')');
        }
        if (!t.elapsed().isZero() && t.to() != TaskState.RUNNING) {
            b.append("  ").append(seconds(t.elapsed()));
        }
        String message = shown.withoutOwnWord(t.to().recordedMessage(t.message()));
        if (message != null && !message.isBlank() && t.to() != TaskState.SUCCEEDED) {
            b.append("  ").append(shortened(brief(message, t.taskId())));
        }
        return b.toString();
    }

    private static final java.util.regex.Pattern TERMINAL_CODES = java.util.regex.Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]");

    /**
     * A message on one line: a log's last lines may hold colour codes and carriage returns (a progress bar
     * such as tqdm redraws itself with {@code \r}), which on a terminal would move the cursor over the line.
     */
    static String oneLine(String m) {
        String plain = TERMINAL_CODES.matcher(m).replaceAll("");
        StringBuilder b = new StringBuilder(plain.length());
        plain.codePoints().forEach(c -> b.appendCodePoint(StandardOut.drivesTerminal(c) ? ' ' : c));
        return b.toString();
    }

    /**
     * A step's message as its progress line says it: what happened, then the log's last line (the error,
     * mostly), once. The engine's message goes on with the log's path and its last lines, one a line
     * ({@code "; last lines of its log (PATH):\n  | ..."}): joined on one line they read as one line cut
     * in its middle; the run's closing report prints them all, {@code freestone logs} the whole log.
     */
    static String brief(String message, String taskId) {
        return LogTail.headline(withoutStep(message, taskId), Progress::oneLine);
    }

    /**
     * A message without the engine's "step `fit` (component `train`, image `...`)" naming the task the line names
     * already: cut to its width, the message would spend its start on it ("step `e` (component `evaluate`, image
     * `python:3.12-slim`) ex...") where what happened goes ("exited with code 1 on attempt 1"). The run's closing
     * error and {@code show} keep the whole message.
     */
    static String withoutStep(String m, String taskId) {
        return m.replaceFirst("step `" + java.util.regex.Pattern.quote(taskId)
                + "` \\(component `[^`]*`(, image `[^`]*`)?\\)(: | )", "");
    }

    /**
     * A message cut to {@value #MESSAGE_WIDTH} characters in its middle: its start says what happened
     * ("attempt 1 failed; retrying in 10.0s: exited with code 1") and its end is the log's last line
     * ("503 Service Unavailable"); between them stand the log's path and its older lines.
     */
    static String shortened(String m) {
        if (m.length() <= MESSAGE_WIDTH) {
            return m;
        }
        int head = MESSAGE_HEAD;
        int tail = m.length() - (MESSAGE_WIDTH - MESSAGE_HEAD - 3);
        // never split a surrogate pair (an emoji in a log line)
        if (Character.isLowSurrogate(m.charAt(head))) {
            head--;
        }
        if (Character.isLowSurrogate(m.charAt(tail))) {
            tail++;
        }
        return m.substring(0, head) + "..." + m.substring(tail);
    }

    /** The status line as it is now. */
    String status() {
        StringBuilder names = new StringBuilder();
        for (String name : running) {
            if (names.length() >= NAMES_WIDTH) {
                break;
            }
            names.append(names.length() == 0 ? "" : ", ").append(name);
        }
        // the total: the top-level steps from the start, and what else the engine has announced; a loop's
        // iterations, a branch's and a called pipeline's steps, and the finally block's, join it when they
        // start (the engine expands them then)
        return String.format("%8s  done %d/%d%s  running %d  failed %d  %s", elapsed(), done, expected.size() + unexpected,
                totalMayGrow ? "+" : "", running.size(), failed, names);
    }

    private void redraw(long now) {
        // back to the line's start and clear it (whether a status line was there or not), then draw
        pending.append("\r\u001b[K").append(status());
        statusShown = true;
        drawnAt = now;
    }

    private void clearStatus() {
        if (statusShown) {
            pending.append("\r\u001b[K");
            statusShown = false;
        }
    }

    /** Writes out what was printed since the last time. */
    private void write() {
        if (pending.length() > 0) {
            out.print(pending);
            pending.setLength(0);
        }
        out.flush();
        writtenAt = System.nanoTime();
    }

    /** The ticker writes out and redraws the status line between events; it ends with the run or the view. */
    private void startTicker() {
        if (ticker != null) {
            return;
        }
        ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(REDRAW_MILLIS);
                    synchronized (this) {
                        if (closed || ticker != Thread.currentThread()) {
                            return;
                        }
                        if (live) {
                            redraw(System.nanoTime());
                        }
                        write();
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, "freestone-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.interrupt();
            ticker = null;
        }
    }

    synchronized void close() {
        stopTicker();
        closed = true;
        if (live) {
            clearStatus();
        }
        write();
    }

    private String elapsed() {
        return seconds(Duration.ofNanos(System.nanoTime() - start));
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
