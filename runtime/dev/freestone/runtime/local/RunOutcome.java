package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * How a run ended: its status, the pipeline's outputs (those that could be computed), the final
 * record of every task by task id, and a message. A {@link RunStatus#REJECTED} outcome has
 * {@code problems} (one line each, naming the step and the image) and nothing ran or was recorded.
 */
public record RunOutcome(String runId, RunStatus status, SortedMap<String, JsonNode> outputs,
                         SortedMap<String, TaskRecord> tasks, Instant startedAt, Instant finishedAt,
                         String message, List<String> problems) {

    public RunOutcome {
        outputs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(outputs));
        tasks = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tasks));
        problems = List.copyOf(problems);
    }

    static RunOutcome rejected(String runId, List<String> problems) {
        Instant now = Instant.now();
        return new RunOutcome(runId, RunStatus.REJECTED, new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                now, now, "the run was rejected before it started", problems);
    }

    public TaskRecord task(String taskId) {
        TaskRecord t = tasks.get(taskId);
        if (t == null) {
            throw new IllegalArgumentException("no task " + taskId + " in run " + runId + "; tasks: " + tasks.keySet());
        }
        return t;
    }
}
