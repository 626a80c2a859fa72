package dev.freestone.runtime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a run's append-only event log.
 *
 * @param seq  increases with every event appended to the store; orders events and lets a watcher
 *             ask only for newer ones
 * @param kind a short lower-case word chosen by the writer, e.g. {@code task.retry}
 */
public record EventRecord(long seq, String runId, Optional<String> taskId, Instant at, String kind,
        String message) {
    public EventRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
