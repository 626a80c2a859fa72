package dev.freestone.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a run. The caller owns the row and writes it whole with {@link RunStore#upsertTask}.
 *
 * @param taskId     the IR task id plus the loop iteration path, e.g. {@code fit[2]} or
 *                   {@code outer[0]/inner[1]}; unique within the run
 * @param name       the name shown to users
 * @param component  the component the task calls
 * @param attempts   how many attempts were started; the store never lets it go down
 * @param cacheKey   the key under which the result may be reused by later runs
 * @param outputsJson the parameter outputs as a JSON object ({@code {}} before there are any)
 * @param items      the item of each loop level the task is an iteration of, outermost first (none outside loops)
 */
public record TaskRecord(
        String runId,
        String taskId,
        String name,
        String component,
        TaskState state,
        int attempts,
        Optional<String> cacheKey,
        Optional<Integer> exitCode,
        String outputsJson,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<String> message,
        List<LoopItem> items) {

    public TaskRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(cacheKey, "cacheKey");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(outputsJson, "outputsJson");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(message, "message");
        items = List.copyOf(items);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts < 0: " + attempts);
        }
    }

    /** A task that is no loop iteration. */
    public TaskRecord(String runId, String taskId, String name, String component, TaskState state, int attempts,
            Optional<String> cacheKey, Optional<Integer> exitCode, String outputsJson, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, Optional<String> message) {
        this(runId, taskId, name, component, state, attempts, cacheKey, exitCode, outputsJson, startedAt, finishedAt,
                message, List.of());
    }

    /** A task that has not started. */
    public static TaskRecord pending(String runId, String taskId, String name, String component) {
        return new TaskRecord(runId, taskId, name, component, TaskState.Pending, 0, Optional.empty(),
                Optional.empty(), "{}", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same task as the iteration that {@code loopItems} name. */
    public TaskRecord withItems(List<LoopItem> loopItems) {
        return new TaskRecord(runId, taskId, name, component, state, attempts, cacheKey, exitCode,
                outputsJson, startedAt, finishedAt, message, loopItems);
    }

    /** True when the result was reused from an earlier run instead of running. */
    public boolean cached() {
        return state == TaskState.Cached;
    }

    public TaskRecord withState(TaskState newState) {
        return new TaskRecord(runId, taskId, name, component, newState, attempts, cacheKey, exitCode,
                outputsJson, startedAt, finishedAt, message, items);
    }

    public TaskRecord withCacheKey(String key) {
        return new TaskRecord(runId, taskId, name, component, state, attempts, Optional.of(key), exitCode,
                outputsJson, startedAt, finishedAt, message, items);
    }

    public TaskRecord withOutputs(String json) {
        return new TaskRecord(runId, taskId, name, component, state, attempts, cacheKey, exitCode,
                json, startedAt, finishedAt, message, items);
    }

    public TaskRecord withAttempts(int count) {
        return new TaskRecord(runId, taskId, name, component, state, count, cacheKey, exitCode,
                outputsJson, startedAt, finishedAt, message, items);
    }

    /** The task is {@code Running} since {@code at}. */
    public TaskRecord started(Instant at) {
        return new TaskRecord(runId, taskId, name, component, TaskState.Running, attempts, cacheKey, exitCode,
                outputsJson, Optional.of(at), Optional.empty(), message, items);
    }

    /** The task ended in {@code end} (a terminal state) at {@code at}. */
    public TaskRecord finished(TaskState end, Optional<Integer> code, Instant at, Optional<String> why) {
        if (!end.isTerminal()) {
            throw new IllegalArgumentException("not a terminal state: " + end);
        }
        return new TaskRecord(runId, taskId, name, component, end, attempts, cacheKey, code,
                outputsJson, startedAt, Optional.of(at), why, items);
    }
}
