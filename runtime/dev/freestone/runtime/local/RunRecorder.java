package dev.freestone.runtime.local;

import java.util.Optional;

/**
 * Where the engine writes what happens, and reads what happened before (for caching). The run store
 * implements it; {@link MemoryRecorder} keeps it in memory. Calls come from several threads, at most
 * one at a time per task; implementations must be thread-safe. A task's records arrive in order
 * (each replaces the previous one), and every task ends in a terminal state before
 * {@link #runFinished} is called.
 */
public interface RunRecorder {
    void runStarted(RunInfo run);

    /**
     * The run waits, before its first step, for a mutex of its pipeline's ({@code waitingFor}: which, and who holds it),
     * or no longer (empty): Pending with those words meanwhile, as `show` gives a Workflow waiting for its own on Argo.
     */
    default void runWaiting(String runId, Optional<String> waitingFor) {
    }

    /** A new snapshot of a task: upsert by ({@code runId}, {@code taskId}). */
    void taskChanged(TaskRecord task);

    void runFinished(RunOutcome outcome);

    /**
     * Returns once every change given so far is recorded; throws what recording one failed with. A
     * recorder that writes as it is called has nothing to do.
     */
    default void flush() {
    }

    /**
     * The newest task record, of any run, that succeeded (state Succeeded, not Cached) with this
     * cache key; empty when there is none.
     */
    Optional<TaskRecord> findCached(String cacheKey);

    /**
     * The newest task record of an earlier run of pipeline {@code pipeline} with this task id that
     * has a cache key, to explain a cache miss (which input changed); empty when there is none.
     */
    Optional<TaskRecord> findPrevious(String pipeline, String taskId);
}
