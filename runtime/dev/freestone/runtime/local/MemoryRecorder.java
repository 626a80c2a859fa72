package dev.freestone.runtime.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RunRecorder} that keeps runs in memory for the life of the object: enough for tests and
 * for a run that is not to be stored; caching works across runs made with the same instance.
 */
public final class MemoryRecorder implements RunRecorder {
    private final Map<String, RunInfo> runs = new LinkedHashMap<>();
    private final Map<String, RunOutcome> outcomes = new LinkedHashMap<>();
    /** run id → task id → latest record, in the order tasks first appeared */
    private final Map<String, Map<String, TaskRecord>> tasks = new LinkedHashMap<>();
    private final List<TaskRecord> history = new ArrayList<>();

    @Override
    public synchronized void runStarted(RunInfo run) {
        runs.put(run.runId(), run);
        tasks.put(run.runId(), new LinkedHashMap<>());
    }

    @Override
    public synchronized void taskChanged(TaskRecord task) {
        tasks.computeIfAbsent(task.runId(), k -> new LinkedHashMap<>()).put(task.taskId(), task);
        history.add(task);
    }

    @Override
    public synchronized void runFinished(RunOutcome outcome) {
        outcomes.put(outcome.runId(), outcome);
    }

    @Override
    public synchronized Optional<TaskRecord> findCached(String cacheKey) {
        for (int i = history.size() - 1; i >= 0; i--) {
            TaskRecord t = history.get(i);
            if (t.state() == TaskState.SUCCEEDED && t.cache() != null && cacheKey.equals(t.cache().key())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<TaskRecord> findPrevious(String pipeline, String taskId) {
        for (int i = history.size() - 1; i >= 0; i--) {
            TaskRecord t = history.get(i);
            RunInfo run = runs.get(t.runId());
            if (run != null && run.pipeline().equals(pipeline) && t.taskId().equals(taskId) && t.cache() != null
                    && t.state().isTerminal()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public synchronized Optional<RunOutcome> outcome(String runId) {
        return Optional.ofNullable(outcomes.get(runId));
    }

    /** The latest record of each task of a run, in the order the tasks first appeared. */
    public synchronized Map<String, TaskRecord> tasks(String runId) {
        return Map.copyOf(tasks.getOrDefault(runId, Map.of()));
    }

    /** Every snapshot recorded, in order. */
    public synchronized List<TaskRecord> history() {
        return List.copyOf(history);
    }

    /** What a resume of {@code runId} needs. */
    public synchronized PriorRun prior(String runId) {
        return new PriorRun(runId, tasks.getOrDefault(runId, Map.of()));
    }
}
