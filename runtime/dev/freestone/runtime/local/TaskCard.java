package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.MetricsFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/** The engine's working copy of one task's record; {@link #snapshot} makes the immutable {@link TaskRecord}. */
final class TaskCard {
    final String runId;
    final String taskId;
    final String nodeId;
    final String kind;
    final String callee;
    final String componentDigest;
    final String image;
    final List<LoopItem> items;
    TaskState state = TaskState.PENDING;
    final List<TaskRecord.Attempt> attempts = new ArrayList<>();
    Instant startedAt;
    Instant finishedAt;
    SortedMap<String, JsonNode> inputs;
    SortedMap<String, JsonNode> outputs;
    TaskRecord.CacheInfo cache;
    List<MetricsFile.Metric> metrics = List.of();
    String message;

    TaskCard(String runId, String taskId, String nodeId, String kind, String callee, String componentDigest,
             String image, List<LoopItem> items) {
        this.runId = runId;
        this.taskId = taskId;
        this.nodeId = nodeId;
        this.kind = kind;
        this.callee = callee;
        this.componentDigest = componentDigest;
        this.image = image;
        this.items = List.copyOf(items);
    }

    TaskRecord snapshot() {
        return new TaskRecord(runId, taskId, nodeId, kind, callee, componentDigest, image, state, attempts,
                startedAt, finishedAt, inputs, outputs, cache, metrics, message, items);
    }

    /** Replaces the attempt with the same number, or adds it. */
    void putAttempt(TaskRecord.Attempt a) {
        for (int i = 0; i < attempts.size(); i++) {
            if (attempts.get(i).number() == a.number()) {
                attempts.set(i, a);
                return;
            }
        }
        attempts.add(a);
    }
}
