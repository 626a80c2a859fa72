package dev.freestone.runtime.local;

/**
 * How a failed step's message cites its log: {@code "; last lines of its log (PATH):\n  | line\n  | line"}, or
 * {@code "; its log is empty (PATH)"}. The engine writes it ({@link StepRun}); the run's message and the CLI's
 * progress view read it back to say the log's last line once ({@link #headline}), so all use these words.
 */
public final class LogTail {
    /** Before the log's path, when the log has lines; {@code "):"} and the lines follow. */
    public static final String LINES = "; last lines of its log (";
    /** Before the log's path, when the log is empty; {@code ")"} follows. */
    public static final String EMPTY = "; its log is empty (";
    /** Before each of the log's last lines, each on a line of its own. */
    public static final String LINE = "  | ";

    private LogTail() {
    }

    /**
     * A message that cites a log, on one line: what happened, then the log's last line once
     * ({@code "exited with code 1 on attempt 1; its log ends: oops"}) or that it is empty. The log's path and
     * its other lines are left out: a line that stopped at "last lines of its log (PATH)" would promise lines
     * it does not hold. {@code clean} makes each piece of text fit on a terminal line. A message that cites no
     * log is given whole.
     */
    public static String headline(String message, java.util.function.UnaryOperator<String> clean) {
        int tail = message.indexOf(LINES);
        int empty = message.indexOf(EMPTY);
        if (tail < 0 && empty < 0) {
            return clean.apply(message);
        }
        if (tail < 0) {
            return clean.apply(message.substring(0, empty)) + "; its log is empty";
        }
        String last = "";
        for (String line : message.substring(tail).split("\n")) {
            String text = line.startsWith(LINE) ? clean.apply(line.substring(LINE.length())).strip() : "";
            if (!text.isEmpty()) {
                last = text;
            }
        }
        return clean.apply(message.substring(0, tail)) + (last.isEmpty() ? "" : "; its log ends: " + last);
    }
}
