package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.MetricsFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything the engine knows about one task of a run, as a snapshot: the recorder receives a new
 * one at every change (and replaces the previous one by {@code runId} + {@code taskId}).
 *
 * <p>{@code taskId} is the IR node id plus the loop indices of this DAG level and, inside a called
 * pipeline, the calling task's id as a path prefix: {@code fit[2]}, {@code fit[0][1]} (a loop in a
 * loop), {@code sub/step}, {@code outer[0]/inner[1]}. A task of a loop that never expanded (its branch
 * was not taken, or it was cancelled first) has {@code [*]} for the unknown index.
 *
 * <p>Values ({@code inputs}, {@code outputs}) are JSON; an artifact is
 * {@code {"$artifact": "<digest>", "type": "Model"}} (see {@link Values#artifact}). Secret values
 * never appear here.
 */
public record TaskRecord(
        String runId,
        String taskId,
        /** the IR node id ({@code fit}) */
        String nodeId,
        /** {@code component} or {@code pipeline} */
        String kind,
        /** component or pipeline name, for display */
        String callee,
        /** component digest; null for a pipeline call */
        String componentDigest,
        /** the image, recorded (not pulled); null for a pipeline call */
        String image,
        TaskState state,
        List<Attempt> attempts,
        Instant startedAt,
        Instant finishedAt,
        SortedMap<String, JsonNode> inputs,
        SortedMap<String, JsonNode> outputs,
        /** null until the key is known (and always null for pipeline calls) */
        CacheInfo cache,
        List<MetricsFile.Metric> metrics,
        /** why it failed, was skipped, omitted or cancelled; null when it succeeded */
        String message,
        /** the item of each loop iteration around it, outermost first; none outside loops or over artifacts */
        List<LoopItem> items) {

    public TaskRecord {
        attempts = List.copyOf(attempts);
        items = List.copyOf(items);
        metrics = List.copyOf(metrics);
        inputs = inputs == null ? null : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(inputs));
        outputs = outputs == null ? null : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(outputs));
    }

    /** A task that is no loop iteration (or whose items are not needed: one read back to be reused). */
    public TaskRecord(String runId, String taskId, String nodeId, String kind, String callee, String componentDigest,
                      String image, TaskState state, List<Attempt> attempts, Instant startedAt, Instant finishedAt,
                      SortedMap<String, JsonNode> inputs, SortedMap<String, JsonNode> outputs, CacheInfo cache,
                      List<MetricsFile.Metric> metrics, String message) {
        this(runId, taskId, nodeId, kind, callee, componentDigest, image, state, attempts, startedAt, finishedAt, inputs,
                outputs, cache, metrics, message, List.of());
    }

    /**
     * One execution of the step's process. {@code pid} and {@code processStart} (as the OS reports
     * them) identify the process so that a resumed run can kill an orphan without hitting a reused pid.
     */
    public record Attempt(int number, Long pid, Instant processStart, Instant startedAt, Instant finishedAt,
                          Integer exitCode, boolean timedOut, Path workDir, Path log, String message) {
    }

    /**
     * {@code key}: SHA-256 of (component digest, input values, input artifact digests);
     * {@code inputDigests}: SHA-256 of each input's canonical value, to explain a miss;
     * {@code decision} and {@code reason}: what the engine did and why; {@code sourceRunId} and
     * {@code sourceTaskId}: where reused outputs came from.
     */
    public record CacheInfo(String key, String componentDigest, SortedMap<String, String> inputDigests,
                            CacheDecision decision, String reason, String sourceRunId, String sourceTaskId) {
        /**
         * What differs in this key from {@code before}'s, in the words of {@code --explain-cache} and {@code diff}: "the
         * component changed", "input `lr` changed", "input `x` is new", "input `y` is gone"; none when they agree.
         */
        public List<String> changesSince(CacheInfo before) {
            List<String> changes = new java.util.ArrayList<>();
            if (componentDigest != null && before.componentDigest() != null && !componentDigest.equals(before.componentDigest())) {
                changes.add("the component changed");
            }
            java.util.Map<String, String> old = before.inputDigests() == null ? java.util.Map.of() : before.inputDigests();
            java.util.Map<String, String> now = inputDigests == null ? java.util.Map.of() : inputDigests;
            now.forEach((k, d) -> {
                if (!old.containsKey(k)) {
                    changes.add("input `" + k + "` is new");
                } else if (!old.get(k).equals(d)) {
                    changes.add("input `" + k + "` changed");
                }
            });
            old.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> changes.add("input `" + k + "` is gone"));
            return changes;
        }
    }

    public enum CacheDecision {
        /** outputs reused from an earlier execution with the same key */
        HIT,
        /** executed: no usable earlier execution */
        MISS,
        /** executed: caching is off for this step or this run */
        DISABLED,
        /** outputs reused from the run being resumed */
        RESUMED
    }

    public boolean succeeded() {
        return state == TaskState.SUCCEEDED || state == TaskState.CACHED;
    }
}
