package dev.freestone.runtime.store;

/**
 * The state of one task of a run. {@code Cached} means the task did not run: its outputs were
 * taken from an earlier {@code Succeeded} task with the same cache key.
 */
public enum TaskState {
    Pending, Running, Succeeded, Failed, Skipped, Cached, Cancelled;

    /** True once the task will not change any more in this run. */
    public boolean isTerminal() {
        return this != Pending && this != Running;
    }
}
