package dev.freestone.cli;

import dev.freestone.runtime.local.ProgressListener;
import dev.freestone.runtime.local.TaskState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The progress view of a run. On a terminal: a status line redrawn in place (done / running /
 * failed, elapsed, the running steps) with a permanent line per finished step. Otherwise: one plain
 * line per state change, suitable for logs.
 */
final class Progress implements ProgressListener {
    enum Mode { auto, plain, none }

    private final Mode mode;
    private final PrintWriter out;
    private final boolean live;
    private final Map<String, TaskState> states = new TreeMap<>();
    private final long start = System.nanoTime();
    private boolean statusShown;

    Progress(Mode mode, PrintWriter out, boolean color) {
        this.mode = mode;
        this.out = out;
        this.live = mode == Mode.auto && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public synchronized void onEvent(Event event) {
        if (mode == Mode.none) {
            return;
        }
        if (event instanceof TaskChanged t) {
            states.put(t.taskId(), t.to());
            boolean terminal = t.to() != TaskState.PENDING && t.to() != TaskState.RUNNING;
            if (live) {
                clearStatus();
                if (terminal) {
                    out.println(line(t));
                }
                drawStatus();
            } else if (t.to() != TaskState.PENDING) {
                out.println(line(t));
            }
            out.flush();
        }
    }

    private String line(TaskChanged t) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%8s  %-10s %s", elapsed(), t.to().name().toLowerCase(java.util.Locale.ROOT), t.taskId()));
        if (t.attempt() > 1) {
            b.append("  (attempt ").append(t.attempt()).append(')');
        }
        if (!t.elapsed().isZero() && t.to() != TaskState.RUNNING) {
            b.append("  ").append(seconds(t.elapsed()));
        }
        if (t.message() != null && !t.message().isBlank() && t.to() != TaskState.SUCCEEDED) {
            String m = t.message().replace('\n', ' ');
            b.append("  ").append(m.length() > 160 ? m.substring(0, 157) + "..." : m);
        }
        return b.toString();
    }

    private void drawStatus() {
        int done = 0;
        int running = 0;
        int failed = 0;
        StringBuilder names = new StringBuilder();
        for (Map.Entry<String, TaskState> e : states.entrySet()) {
            switch (e.getValue()) {
                case SUCCEEDED, CACHED, SKIPPED, OMITTED -> done++;
                case RUNNING -> {
                    running++;
                    if (names.length() < 60) {
                        names.append(names.length() == 0 ? "" : ", ").append(e.getKey());
                    }
                }
                case FAILED, ERROR, CANCELLED -> failed++;
                default -> {
                }
            }
        }
        out.print(String.format("\r\u001b[K%8s  done %d  running %d  failed %d  %s", elapsed(), done, running, failed, names));
        statusShown = true;
    }

    private void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[K");
            statusShown = false;
        }
    }

    synchronized void close() {
        if (live) {
            clearStatus();
            out.flush();
        }
    }

    private String elapsed() {
        return seconds(Duration.ofNanos(System.nanoTime() - start));
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
