package dev.freestone.runtime.store;

/** The status of a whole run. */
public enum RunStatus {
    Pending, Running, Succeeded, Failed, Cancelled;

    /** True once the run has finished; its finish time is then recorded. */
    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Cancelled;
    }
}
