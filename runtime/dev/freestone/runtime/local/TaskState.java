package dev.freestone.runtime.local;

/**
 * The state of one task (a step, or a call of a pipeline) of a run, as the engine tells them apart.
 * {@link #OMITTED} is Argo's name for a task that did not run because a task it depends on did not
 * succeed; {@link #SKIPPED} is a task of a branch that was not taken; {@link #CACHED} reused recorded
 * outputs without executing; {@link #ERROR} is a failure of the engine's part (an input it could not
 * compute), not of the step's process. A user reads none of these words: every view says the
 * {@link #recorded} state, the run store's.
 */
public enum TaskState {
    PENDING, RUNNING, SUCCEEDED, CACHED, FAILED, ERROR, SKIPPED, OMITTED, CANCELLED;

    public boolean isTerminal() {
        return this != PENDING && this != RUNNING;
    }

    /** Whether dependents may run after this state (a skipped task's dependents still run, as in Argo). */
    public boolean letsDependentsRun() {
        return this == SUCCEEDED || this == CACHED || this == SKIPPED;
    }

    /** The state as the run store records it and every view shows it: Error is Failed, Omitted is Skipped. */
    public dev.freestone.runtime.store.TaskState recorded() {
        return switch (this) {
            case PENDING -> dev.freestone.runtime.store.TaskState.Pending;
            case RUNNING -> dev.freestone.runtime.store.TaskState.Running;
            case SUCCEEDED -> dev.freestone.runtime.store.TaskState.Succeeded;
            case CACHED -> dev.freestone.runtime.store.TaskState.Cached;
            case FAILED, ERROR -> dev.freestone.runtime.store.TaskState.Failed;
            case SKIPPED, OMITTED -> dev.freestone.runtime.store.TaskState.Skipped;
            case CANCELLED -> dev.freestone.runtime.store.TaskState.Cancelled;
        };
    }

    /** The engine's state of a recorded one (a recorded Failed is FAILED, a recorded Skipped SKIPPED). */
    public static TaskState of(dev.freestone.runtime.store.TaskState s) {
        return switch (s) {
            case Pending -> PENDING;
            case Running -> RUNNING;
            case Succeeded -> SUCCEEDED;
            case Cached -> CACHED;
            case Failed -> FAILED;
            case Skipped -> SKIPPED;
            case Cancelled -> CANCELLED;
        };
    }

    /**
     * How a message says that a task ended in this state, in the run store's words: {@code `a` failed},
     * {@code `a` was skipped}, {@code `a` was cancelled}.
     */
    public String said() {
        return recorded().said();
    }

    /**
     * A message of a task in this state as the run store records it and every view shows it: the recorded state
     * (Failed) does not tell an engine's error from a step's failure, so the message does ({@code error: ...}).
     */
    public String recordedMessage(String message) {
        return message == null || this != ERROR ? message : "error: " + message;
    }
}
