package dev.freestone.runtime.local;

/**
 * The state of one task (a step, or a call of a pipeline) of a run. {@link #OMITTED} is Argo's name
 * for a task that did not run because a task it depends on failed; {@link #SKIPPED} is a task of a
 * branch that was not taken; {@link #CACHED} reused recorded outputs without executing.
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

    /** Capitalized like Argo's phases, for messages: {@code Succeeded}. */
    public String display() {
        String s = name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
