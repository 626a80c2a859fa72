package dev.freestone.runtime.store;

import java.util.Objects;

/**
 * One value of a {@code Metrics} artifact written by a task. NaN and infinities are kept as such
 * (a diverging training run is worth recording).
 */
public record MetricRecord(String runId, String taskId, String name, double value) {
    public MetricRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
    }
}
