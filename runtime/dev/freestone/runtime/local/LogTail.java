package dev.freestone.runtime.local;

/**
 * How a failed step's message cites its log: {@code "; last lines of its log (PATH):\n  | line\n  | line"}, or
 * {@code "; its log is empty (PATH)"}. The engine writes it ({@link StepRun}); the CLI's progress view reads it back
 * to say the log's last line once, so both use these words.
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
}
