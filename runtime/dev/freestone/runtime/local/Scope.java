package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.LoopItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an expression can see while a body runs: the DAG's parameters, the results of nodes of this
 * body and of enclosing bodies (of the same DAG), loop items, and {@code run.*}. A called pipeline
 * starts a new chain: it sees only its own parameters. Also knows how task ids are spelled here.
 */
final class Scope {
    /** The result of a node once it finished: its state and its outputs (a task's outputs, a loop's or cond's exports). */
    record NodeResult(TaskState state, Map<String, JsonNode> outputs) {
    }

    private final Scope parent;
    private final Map<String, JsonNode> params;
    private final String loopId;
    private final JsonNode item;
    /** task id prefix of this DAG level: "" at the root, "sub/" inside a call */
    final String prefix;
    /** loop indices of this DAG level, outermost first */
    final List<Integer> indices;
    /** the items of every expanded iteration around this body, called pipelines' callers' too, outermost first */
    final List<LoopItem> items;
    private final String runStatus;
    /** {@code run.failures} in an exit handler, with {@link #runStatus}; null elsewhere */
    private final JsonNode runFailures;
    final Map<String, NodeResult> results = new ConcurrentHashMap<>();

    private Scope(Scope parent, Map<String, JsonNode> params, String loopId, JsonNode item, String prefix,
                  List<Integer> indices, List<LoopItem> items, String runStatus, JsonNode runFailures) {
        this.parent = parent;
        this.params = params;
        this.loopId = loopId;
        this.item = item;
        this.prefix = prefix;
        this.indices = List.copyOf(indices);
        this.items = List.copyOf(items);
        this.runStatus = runStatus;
        this.runFailures = runFailures;
    }

    static Scope root(Map<String, JsonNode> params, String prefix) {
        return new Scope(null, Map.copyOf(params), null, null, prefix, List.of(), List.of(), null, null);
    }

    /** The body of the pipeline that the task {@code prefix} (here) calls: a new chain that knows only its parameters. */
    Scope called(Map<String, JsonNode> calledParams, String calledPrefix) {
        return new Scope(null, Map.copyOf(calledParams), null, null, calledPrefix, List.of(), items, null, null);
    }

    /** A body nested in this one (a branch). */
    Scope child() {
        return new Scope(this, null, null, null, prefix, indices, items, null, null);
    }

    /**
     * Iteration {@code index} of loop {@code loop}, its item {@code value}; {@code recorded} is how the records of its
     * tasks name the item (null: they do not, an artifact's).
     */
    Scope iteration(String loop, int index, JsonNode value, LoopItem recorded) {
        List<Integer> ix = new ArrayList<>(indices);
        ix.add(index);
        List<LoopItem> its = new ArrayList<>(items);
        if (recorded != null) {
            its.add(recorded);
        }
        return new Scope(this, null, loop, value, prefix, ix, its, null, null);
    }

    /** The exit handler's body: sees the main body's results, {@code run.status} and {@code run.failures}. */
    Scope exitHandler(String status, JsonNode failures) {
        return new Scope(this, null, null, null, prefix, indices, items, status, failures);
    }

    /** {@code fit} here is {@code sub/fit[2]}. */
    String taskId(String nodeId) {
        StringBuilder sb = new StringBuilder(prefix).append(nodeId);
        for (int i : indices) {
            sb.append('[').append(i < 0 ? "*" : Integer.toString(i)).append(']');
        }
        return sb.toString();
    }

    /** The body of a loop that never expanded: its tasks are spelled {@code fit[*]}. */
    Scope unexpanded(String loop) {
        return iteration(loop, -1, null, null);
    }

    JsonNode param(String name) {
        Scope s = this;
        while (s.params == null) {
            s = s.parent;
        }
        return s.params.get(name);
    }

    boolean hasParam(String name) {
        Scope s = this;
        while (s.params == null) {
            s = s.parent;
        }
        return s.params.containsKey(name);
    }

    NodeResult result(String node) {
        for (Scope s = this; s != null; s = s.parent) {
            NodeResult r = s.results.get(node);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** The current item of loop {@code loop}, or null when not inside it. */
    JsonNode item(String loop) {
        for (Scope s = this; s != null; s = s.parent) {
            if (loop.equals(s.loopId)) {
                return s.item;
            }
        }
        return null;
    }

    boolean inLoop(String loop) {
        for (Scope s = this; s != null; s = s.parent) {
            if (loop.equals(s.loopId)) {
                return true;
            }
        }
        return false;
    }

    String runStatus() {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.runStatus != null) {
                return s.runStatus;
            }
        }
        return null;
    }

    /** {@code run.failures}: the steps of this body that failed, known in its exit handler only (else null). */
    JsonNode runFailures() {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.runStatus != null) {
                return s.runFailures;
            }
        }
        return null;
    }
}
