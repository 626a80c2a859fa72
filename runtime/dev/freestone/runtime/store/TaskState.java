package dev.freestone.runtime.store;

/**
 * The state of one task of a run. {@code Cached} means the task did not run: its outputs were
 * taken from an earlier {@code Succeeded} task with the same cache key.
 */
public enum TaskState {
    Pending, Running, Succeeded, Failed, Skipped, Cached, Cancelled;

    /**
     * A task's message without the word of this state it opens with ({@code "skipped: `a` failed"} →
     * {@code "`a` failed"}), for a line that says the state already (the progress view's, a note of {@code logs}).
     * A message of a task that did not run says why in the state's word, so that it reads right where it
     * stands alone ({@code show}, {@code --output json}).
     */
    public String withoutOwnWord(String message) {
        String word = name().toLowerCase(java.util.Locale.ROOT) + ": ";
        return message != null && message.startsWith(word) ? message.substring(word.length()) : message;
    }

    /**
     * How a message says that a task ended in this state: {@code `a` failed}, {@code `a` was skipped},
     * {@code `a` was cancelled} (both backends word the reason a task did not run so).
     */
    public String said() {
        return switch (this) {
            case Pending -> "has not started";
            case Running -> "is running";
            case Succeeded -> "succeeded";
            case Failed -> "failed";
            case Skipped -> "was skipped";
            case Cached -> "was cached";
            case Cancelled -> "was cancelled";
        };
    }

    /** True once the task will not change any more in this run. */
    public boolean isTerminal() {
        return this != Pending && this != Running;
    }
}
