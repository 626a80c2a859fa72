package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.TaskNodes.ArtifactView;
import dev.freestone.runtime.argo.TaskNodes.AttemptView;
import dev.freestone.runtime.argo.TaskNodes.TaskView;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.LineageRecord;
import dev.freestone.runtime.store.MetricRecord;
import dev.freestone.runtime.store.MetricsFile;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes what a Workflow shows into the run store: the run's status and message, one task row per
 * task (see {@link TaskNodes}), its attempts (one per pod, the pod name as log path), output
 * parameters, exit codes, messages and output artifact locations, and an event for each change.
 * Rows are written only when they change, so applying the same Workflow twice writes nothing.
 */
final class RunMirror {
    private final RunStore store;
    private final String runId;
    private final Clock clock;
    private final Consumer<EventRecord> listener;
    private final Map<String, TaskRecord> tasks = new HashMap<>();
    private final Map<String, AttemptRecord> attempts = new HashMap<>();
    private final Set<String> artifacts = new HashSet<>();
    /** The input artifacts recorded (task id, input name, location), so that each is written once. */
    private final Set<String> inputs = new HashSet<>();
    private final Set<String> notes = new HashSet<>();
    /**
     * By task, the metrics texts last read, as their fingerprint, and why they gave no rows: so that each is parsed and
     * written once, without keeping texts of up to 1 MiB a task or building a key of them at every poll.
     */
    private final Map<String, MetricsRead> metricsRead = new HashMap<>();
    private RunStatus status;
    private Optional<String> message;
    /** The pipeline's outputs as last recorded (JSON), empty before the Workflow gave them. */
    private Optional<String> outputs;

    RunMirror(RunStore store, RunRecord run, Clock clock, Consumer<EventRecord> listener) {
        this.store = store;
        this.runId = run.id();
        this.clock = clock;
        this.listener = listener;
        this.status = run.status();
        this.message = run.message();
        this.outputs = store.runOutputs(runId);
        for (TaskRecord t : store.tasks(runId)) {
            tasks.put(t.taskId(), t);
        }
        for (AttemptRecord a : store.attempts(runId)) {
            attempts.put(a.taskId() + "#" + a.number(), a);
        }
        for (ArtifactRecord a : store.artifacts(runId)) {
            artifacts.add(artifactKey(a.taskId(), a.outputName(), a.uri()));
        }
        for (LineageRecord l : store.lineage(runId)) {
            inputs.add(artifactKey(l.taskId(), l.inputName(), l.uri()));
        }
    }

    RunStatus status() {
        return status;
    }

    /**
     * Mirrors one observed Workflow. {@code podProblem} explains a pending pod (empty when it is
     * not worth asking yet or cannot be seen).
     */
    RunStatus apply(ObjectNode workflow, NodeStatuses nodes, Function<String, Optional<String>> podProblem) {
        Optional<String> nodesMissing = Optional.empty();
        if (nodes instanceof NodeStatuses.Present present) {
            for (TaskView view : TaskNodes.of(workflow, present.nodes())) {
                write(enrich(view, podProblem));
            }
        } else if (nodes instanceof NodeStatuses.Offloaded offloaded) {
            nodesMissing = Optional.of("task states are not available: the node status of Workflow "
                    + ref(workflow) + " is offloaded to Argo's database (offloadNodeStatusVersion "
                    + offloaded.version() + ") and only the Argo Server can read it; follow the run with"
                    + " --argo-server to see them");
            noteOnce("argo.offloaded", nodesMissing.get());
        } else if (nodes instanceof NodeStatuses.Unreadable unreadable) {
            nodesMissing = Optional.of("task states are not available: " + unreadable.why());
            noteOnce("argo.unreadable", nodesMissing.get());
        }
        RunStatus next = runStatus(workflow);
        Optional<String> why = ArgoJson.text(workflow, "status", "message");
        if (next == RunStatus.Pending) {
            // a Workflow waiting for its pipeline's mutex: the engine's words, not Argo's "Waiting for argo/Mutex/x lock"
            why = TaskNodes.workflowLockWait(workflow).or(() -> ArgoJson.text(workflow, "status", "message"));
        }
        if (next == RunStatus.Cancelled) {
            String how = ArgoJson.text(workflow, "spec", "shutdown").orElse("Stop").toLowerCase();
            why = Optional.of((how.equals("terminate") ? "terminated" : "stopped") + why.map(w -> ": " + w).orElse(""));
        }
        if (why.isEmpty()) {
            why = nodesMissing;
        }
        Optional<String> ended = next.isTerminal() && nodes instanceof NodeStatuses.Present present
                ? TaskNodes.pipelineOutputs(workflow, present.nodes()).map(ArgoJson::write) : Optional.empty();
        setStatus(next, why, ended);
        return status;
    }

    /** The Workflow is gone: finish with the last known state and say so. */
    void deleted(String remote) {
        if (status.isTerminal()) {
            String said = message.map(m -> m + "; ").orElse("") + "the Workflow " + remote
                    + " was deleted after it finished (its TTL); the run keeps its last known state";
            note("argo.deleted", "the Workflow " + remote + " was deleted after it finished");
            store.updateRunStatus(runId, status, Optional.of(said));
            message = Optional.of(said);
            return;
        }
        Instant now = clock.instant();
        for (TaskRecord t : List.copyOf(tasks.values())) {
            if (!t.state().isTerminal()) {
                TaskRecord end = t.finished(TaskState.Cancelled, t.exitCode(), now,
                        Optional.of("the Workflow was deleted before this task finished"));
                store.upsertTask(end);
                tasks.put(end.taskId(), end);
            }
        }
        String said = "the Workflow " + remote + " was deleted (by its TTL strategy or by hand) before Freestone saw"
                + " it finish; tasks keep their last known state";
        note("argo.deleted", said);
        setStatus(RunStatus.Cancelled, Optional.of(said));
    }

    /** Appends an event (and tells the listener). */
    void note(String kind, String text) {
        EventRecord e = store.appendEvent(runId, Optional.empty(), kind, text);
        listener.accept(e);
    }

    void noteOnce(String kind, String text) {
        if (notes.add(kind + "\n" + text)) {
            note(kind, text);
        }
    }

    static RunStatus runStatus(JsonNode workflow) {
        boolean shutdown = ArgoJson.text(workflow, "spec", "shutdown").isPresent();
        return switch (workflow.path("status").path("phase").asText("")) {
            case "Running" -> RunStatus.Running;
            case "Succeeded" -> RunStatus.Succeeded;
            case "Failed", "Error" -> shutdown ? RunStatus.Cancelled : RunStatus.Failed;
            default -> RunStatus.Pending;
        };
    }

    static boolean isFinished(JsonNode workflow) {
        return runStatus(workflow).isTerminal();
    }

    private void setStatus(RunStatus next, Optional<String> why) {
        setStatus(next, why, Optional.empty());
    }

    /** As above, with the pipeline's outputs when the Workflow gave them (kept when it gives none). */
    private void setStatus(RunStatus next, Optional<String> why, Optional<String> given) {
        boolean newOutputs = given.isPresent() && !given.equals(outputs);
        if (next == status && why.equals(message) && !newOutputs) {
            return;
        }
        boolean changed = next != status;
        store.updateRunStatus(runId, next, why, given);
        status = next;
        message = why;
        if (newOutputs) {
            outputs = given;
        }
        if (changed) {
            note("run." + next.name().toLowerCase(), "run " + next.name().toLowerCase() + why.map(w -> ": " + w).orElse(""));
        }
    }

    private TaskView enrich(TaskView view, Function<String, Optional<String>> podProblem) {
        if (view.pendingPod().isEmpty()) {
            return view;
        }
        Optional<String> problem = podProblem.apply(view.pendingPod().get());
        if (problem.isEmpty()) {
            return view;
        }
        String text = "pod " + view.pendingPod().get() + " is not starting: " + problem.get()
                + view.message().map(m -> " (" + m + ")").orElse("");
        return view.withMessage(Optional.of(text));
    }

    private void write(TaskView view) {
        TaskRecord before = tasks.get(view.taskId());
        List<MetricRecord> newMetrics = new ArrayList<>();
        Optional<String> refused = metrics(view, newMetrics);
        TaskRecord after = new TaskRecord(runId, view.taskId(), view.name(), view.component(), view.state(),
                Math.max(view.attempts().size(), before == null ? 0 : before.attempts()),
                before == null ? Optional.empty() : before.cacheKey(), view.exitCode(), ArgoJson.write(view.outputs()),
                view.startedAt(), view.finishedAt(), view.message().or(() -> refused), view.items());
        List<ArtifactRecord> newArtifacts = new ArrayList<>();
        for (ArtifactView a : view.artifacts()) {
            if (!artifacts.contains(artifactKey(view.taskId(), a.name(), a.uri()))) {
                newArtifacts.add(new ArtifactRecord(runId, view.taskId(), a.name(), Optional.empty(), Optional.empty(),
                        "Artifact", a.uri()));
            }
        }
        if (!after.equals(before) || !newArtifacts.isEmpty() || !newMetrics.isEmpty()) {
            store.recordTaskResult(after, newArtifacts, newMetrics);
            tasks.put(after.taskId(), after);
            newArtifacts.forEach(a -> artifacts.add(artifactKey(a.taskId(), a.outputName(), a.uri())));
        }
        for (ArtifactView a : view.inputs()) {
            // where the pod read it from: `lineage` matches it to the output at that location
            if (inputs.add(artifactKey(view.taskId(), a.name(), a.uri()))) {
                store.recordLineage(new LineageRecord(runId, view.taskId(), a.name(), Optional.empty(), a.uri()));
            }
        }
        for (AttemptView a : view.attempts()) {
            String key = view.taskId() + "#" + a.number();
            AttemptRecord row = new AttemptRecord(runId, view.taskId(), a.number(), Optional.empty(),
                    a.startedAt().or(view::startedAt).orElse(clock.instant()), a.finishedAt(), a.exitCode(),
                    Optional.of(a.podName()));
            AttemptRecord known = attempts.get(key);
            if (known == null || !sameAttempt(known, row)) {
                store.startAttempt(known == null ? row : new AttemptRecord(runId, row.taskId(), row.number(),
                        Optional.empty(), known.startedAt(), row.finishedAt(), row.exitCode(), row.logPath()));
                attempts.put(key, row);
                if (known == null && a.number() > 1) {
                    emit(view.taskId(), "task.retry", view.taskId() + ": attempt " + a.number() + " started");
                }
            }
        }
        // a wait for a lock is news for the progress view, as a retry ahead is
        boolean waits = after.state() == TaskState.Pending
                && after.message().filter(m -> m.startsWith(TaskNodes.LOCK_WAIT)).isPresent();
        if (before == null || before.state() != after.state()) {
            String state = after.state().name().toLowerCase();
            emit(view.taskId(), waits ? "task.waiting" : "task." + state, view.taskId() + " " + state
                    + (after.state() == TaskState.Running ? "" : after.message().map(m -> ": " + after.state().withoutOwnWord(m))
                            .orElse("")));
        } else if (after.state() == TaskState.Pending && !after.message().equals(before.message())
                && after.message().isPresent()) {
            emit(view.taskId(), waits ? "task.waiting" : "task.pending", view.taskId() + " pending: " + after.message().get());
        }
    }

    /**
     * The rows of a finished task's {@code Metrics} outputs into {@code rows}, read from their texts as the local
     * engine reads the files ({@link MetricsFile}), once per text; or why they are not recorded. Argo has passed
     * the task by then, so a text the engine would fail the step for leaves the task as Argo says, with that
     * message and no rows.
     */
    private Optional<String> metrics(TaskView view, List<MetricRecord> rows) {
        if ((view.state() != TaskState.Succeeded && view.state() != TaskState.Cached) || view.metrics().isEmpty()) {
            return Optional.empty();
        }
        List<MetricsText> seen = new ArrayList<>();
        view.metrics().forEach((name, text) -> seen.add(new MetricsText(view.nodeId(), name, text.length(), text.hashCode())));
        MetricsRead known = metricsRead.get(view.taskId());
        if (known != null && known.texts().equals(seen)) {
            return known.refused();
        }
        List<MetricsFile.Metric> all = new ArrayList<>();
        Optional<String> refused = Optional.empty();
        try {
            for (Map.Entry<String, String> e : view.metrics().entrySet()) {
                all.addAll(MetricsFile.parse(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)));
            }
            rows.addAll(MetricsFile.rows(runId, view.taskId(), all));
        } catch (MetricsFile.Malformed bad) {
            refused = Optional.of(bad.getMessage() + " (its metrics are not recorded)");
        }
        metricsRead.put(view.taskId(), new MetricsRead(seen, refused));
        return refused;
    }

    /**
     * A metrics text as read, told apart from another cheaply: the node that gave it, its output's name, its length and
     * its hash (Argo gives a finished node's text anew at each poll, the same unless the node ran again).
     */
    private record MetricsText(String nodeId, String output, int length, int hash) {
    }

    /** A task's metrics texts when they were read, and why they gave no rows. */
    private record MetricsRead(List<MetricsText> texts, Optional<String> refused) {
    }

    /** An artifact output or input of a task as {@code artifacts} and {@code inputs} know it: task, name, location. */
    private static String artifactKey(String taskId, String name, String uri) {
        return taskId + "#" + name + "#" + uri;
    }

    private static boolean sameAttempt(AttemptRecord a, AttemptRecord b) {
        return a.finishedAt().equals(b.finishedAt()) && a.exitCode().equals(b.exitCode()) && a.logPath().equals(b.logPath());
    }

    private void emit(String taskId, String kind, String text) {
        EventRecord e = store.appendEvent(runId, Optional.of(taskId), kind, text);
        listener.accept(e);
    }

    private static String ref(JsonNode workflow) {
        return ArgoJson.text(workflow, "metadata", "namespace").orElse("?") + "/" + ArgoJson.name(workflow);
    }

    /** The run by full id, for callers that hold one. */
    static RunRecord requireRun(RunStore store, String runId) {
        RunLookup lookup = store.getRun(runId);
        if (lookup instanceof RunLookup.Found found) {
            return found.run();
        }
        throw new ArgoException(ArgoError.Kind.NotFound, lookup.message(), "list runs with `freestone runs`");
    }
}
