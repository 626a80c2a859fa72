package dev.freestone.runtime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to run a task (a task with retries has several, numbered from 1).
 *
 * @param process the OS process of a local attempt, so that {@code resume} can find orphans;
 *                empty for remote attempts
 * @param logPath where the attempt's output went (a file path, or a pod name for Argo)
 */
public record AttemptRecord(
        String runId,
        String taskId,
        int number,
        Optional<OsProcess> process,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<Integer> exitCode,
        Optional<String> logPath) {

    public AttemptRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(logPath, "logPath");
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1: " + number);
        }
    }

    /** An attempt that has just started. */
    public static AttemptRecord started(String runId, String taskId, int number, Instant at,
            Optional<OsProcess> process, Optional<String> logPath) {
        return new AttemptRecord(runId, taskId, number, process, at, Optional.empty(), Optional.empty(), logPath);
    }

    public boolean isFinished() {
        return finishedAt.isPresent();
    }
}
