package dev.freestone.runtime.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.CachedResult;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.LineageRecord;
import dev.freestone.runtime.store.MetricRecord;
import dev.freestone.runtime.store.MetricsFile;
import dev.freestone.runtime.store.OsProcess;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.StoredArtifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Records runs of the local engine in the {@link RunStore}, and serves its cache and resume from it.
 *
 * <p>The run must exist before the engine starts: the caller runs {@link LocalEngine#check}, then
 * {@link RunStore#createRun} (which makes the id), then {@code engine.run(program, params, id)}.
 *
 * <p>Mapping: the engine's Error is stored as {@code Failed} and Omitted as {@code Skipped}
 * ({@link TaskState#recorded}; an Error's message says {@code error: }, an Omitted task's says which task
 * it waited for, {@code skipped: `a` failed}); a run that ended in Error is {@code Failed}. Parameter outputs go to
 * the task's outputs JSON, artifact outputs to artifact records, artifact inputs to lineage,
 * metrics to metric records (named {@code output/name} when two outputs of a task share a name).
 * Each cache decision is an event {@code cache.hit|miss|disabled|resumed} with the reason, and the
 * per-input digests an event {@code cache.key} (what explains a later miss).
 *
 * <p>Writes are group-committed: {@link #taskChanged} queues the snapshot and returns, and one writer
 * thread records whatever is queued in one transaction, in the order it arrived (so the store never
 * shows a step running before the step it waited for succeeded). A store transaction per change cost
 * more than a trivial step itself. Reads ({@link #findCached}, {@link #prior}) and {@link #flush}
 * wait for the queue first; a failed write is thrown from the next call. An engine killed with
 * SIGKILL loses the changes of its last milliseconds, never a transaction's half: {@code resume}
 * then runs those steps again.
 */
public final class StoreRecorder implements RunRecorder {
    static final String CACHE_KEY_EVENT = "cache.key";
    /**
     * How long changes gather before they are written: what a SIGKILLed engine can lose beyond the
     * transaction in flight (the steps are then run again by resume).
     */
    static final long WINDOW_NANOS = 5_000_000;
    private static final int PREVIOUS_RUNS_SEARCHED = 20;

    private final RunStore store;
    private final StoreArtifacts artifacts;
    /** per run id + task id: what of the task has been written already (the writer thread's alone) */
    private final Map<String, Written> written = new HashMap<>();
    /** snapshots waiting for the writer, in arrival order; guarded by {@code queue}'s lock */
    private final Object queue = new Object();
    private List<TaskRecord> pending = new ArrayList<>();
    private boolean draining;
    /** threads in {@link #flush}: the writer does not wait for more changes while one waits */
    private int flushing;
    private RuntimeException failure;
    /**
     * Succeeded tasks queued or in the batch being written, by cache key (the latest): the cache finds
     * them without waiting for the writer (a wait per step cost more than the step); guarded by {@code queue}.
     */
    private final Map<String, TaskRecord> uncommitted = new HashMap<>();
    /** for {@link #findPrevious}: per pipeline, its latest runs as the run's first explanation found them */
    private final Map<String, List<RunRecord>> previousRuns = new HashMap<>();
    /** for {@link #findPrevious}: per finished run, each task's last {@value #CACHE_KEY_EVENT} event */
    private final Map<String, Map<String, String>> cacheKeys = new HashMap<>();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "freestone-store-writer");
                t.setDaemon(true);
                return t;
            });

    private static final class Written {
        final Set<Integer> startedAttempts = new HashSet<>();
        final Set<Integer> finishedAttempts = new HashSet<>();
        boolean lineage;
        boolean cacheDecision;

        static Written copyOf(Written w) {
            if (w == null) {
                return null;
            }
            Written c = new Written();
            c.startedAttempts.addAll(w.startedAttempts);
            c.finishedAttempts.addAll(w.finishedAttempts);
            c.lineage = w.lineage;
            c.cacheDecision = w.cacheDecision;
            return c;
        }
    }

    public StoreRecorder(RunStore store) {
        this.store = store;
        this.artifacts = new StoreArtifacts(store.artifacts());
    }

    /** The store's artifacts, for {@link LocalEngine#LocalEngine(EngineOptions, RunRecorder, Artifacts)}. */
    public StoreArtifacts artifacts() {
        return artifacts;
    }

    @Override
    public void runStarted(RunInfo run) {
        store.updateRunStatus(run.runId(), RunStatus.Running, Optional.empty());
        synchronized (this) {
            // the runs a new run's explanations look back on include those that ended since
            previousRuns.clear();
        }
    }

    @Override
    public void runWaiting(String runId, Optional<String> waitingFor) {
        store.updateRunStatus(runId, waitingFor.isPresent() ? RunStatus.Pending : RunStatus.Running, waitingFor);
    }

    @Override
    public void taskChanged(TaskRecord t) {
        synchronized (queue) {
            throwFailure();
            pending.add(t);
            if (t.state() == TaskState.SUCCEEDED && t.cache() != null) {
                uncommitted.put(t.cache().key(), t);
            }
            if (!draining) {
                draining = true;
                writer.execute(this::drain);
            }
        }
    }

    /** Waits until every queued change is in the store; throws what a write failed with. */
    @Override
    public void flush() {
        synchronized (queue) {
            flushing++;
            queue.notifyAll();
            try {
                while (draining) {
                    queue.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the run store was being written", e);
            } finally {
                flushing--;
            }
            throwFailure();
        }
    }

    private void throwFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    private void drain() {
        while (true) {
            List<TaskRecord> batch;
            synchronized (queue) {
                gather();
                if (pending.isEmpty() || failure != null) {
                    pending.clear();
                    draining = false;
                    queue.notifyAll();
                    return;
                }
                batch = latest(pending);
                pending = new ArrayList<>();
            }
            // what is marked written must match what committed: a retried or failed batch starts from here
            Map<String, Written> before = new HashMap<>();
            batch.forEach(t -> before.computeIfAbsent(key(t), k -> Written.copyOf(written.get(k))));
            try {
                store.atomically("record " + batch.size() + " task changes", () -> {
                    restore(before);
                    batch.forEach(this::write);
                });
                synchronized (queue) {
                    // in the store now, where the cache finds them
                    batch.forEach(t -> {
                        if (t.cache() != null) {
                            uncommitted.remove(t.cache().key(), t);
                        }
                    });
                }
            } catch (RuntimeException e) {
                restore(before);
                synchronized (queue) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Lets changes gather for {@link #WINDOW_NANOS} before a batch is written (unless a flush waits):
     * a step's start and end then usually share a batch and are written as one row each, and the
     * commit is shared by many steps. The caller holds {@code queue}'s lock.
     */
    private void gather() {
        if (pending.isEmpty()) {
            return;
        }
        long until = System.nanoTime() + WINDOW_NANOS;
        long left;
        while (flushing == 0 && failure == null && (left = until - System.nanoTime()) > 0) {
            try {
                queue.wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One snapshot per task, its latest, in the order of the tasks' latest changes: a task's card only
     * grows (attempts, inputs, cache decision), so its latest snapshot writes all that the earlier
     * ones would have, and the store keeps a task's current row, not its history.
     */
    private static List<TaskRecord> latest(List<TaskRecord> changes) {
        Map<String, TaskRecord> last = new LinkedHashMap<>();
        for (TaskRecord t : changes) {
            String k = key(t);
            last.remove(k);
            last.put(k, t);
        }
        return new ArrayList<>(last.values());
    }

    private void restore(Map<String, Written> before) {
        before.forEach((k, w) -> {
            if (w == null) {
                written.remove(k);
            } else {
                written.put(k, Written.copyOf(w));
            }
        });
    }

    private static String key(TaskRecord t) {
        return t.runId() + "\n" + t.taskId();
    }

    /** Writes one snapshot's new rows and marks them written; inside the batch's transaction. */
    private void write(TaskRecord t) {
        Written w = written.computeIfAbsent(key(t), k -> new Written());
        dev.freestone.runtime.store.TaskRecord row = row(t);
        List<TaskRecord.Attempt> starts = t.attempts().stream().filter(a -> !w.startedAttempts.contains(a.number())).toList();
        List<TaskRecord.Attempt> ends = t.attempts().stream()
                .filter(a -> a.finishedAt() != null && !w.finishedAttempts.contains(a.number())).toList();
        boolean lineage = t.inputs() != null && !w.lineage;
        boolean cacheDecision = t.cache() != null && t.cache().decision() != null && !w.cacheDecision;
        {
            if (t.succeeded()) {
                store.recordTaskResult(row, outputArtifacts(t), metrics(t));
            } else {
                store.upsertTask(row);
            }
            for (TaskRecord.Attempt a : starts) {
                Optional<OsProcess> process = a.pid() == null || a.processStart() == null ? Optional.empty()
                        : Optional.of(new OsProcess(a.pid(), a.processStart()));
                // an attempt that also ended since the last batch is written whole, in one row
                store.startAttempt(new AttemptRecord(t.runId(), t.taskId(), a.number(), process, a.startedAt(),
                        Optional.ofNullable(a.finishedAt()), Optional.ofNullable(a.exitCode()),
                        Optional.ofNullable(a.log()).map(Path::toString)));
            }
            for (TaskRecord.Attempt a : ends) {
                if (w.startedAttempts.contains(a.number())) {
                    store.finishAttempt(t.runId(), t.taskId(), a.number(), Optional.ofNullable(a.exitCode()), a.finishedAt());
                }
            }
            if (lineage) {
                t.inputs().forEach((name, v) -> lineage(t, name, v));
            }
            if (cacheDecision) {
                TaskRecord.CacheInfo c = t.cache();
                ObjectNode key = Values.NODES.objectNode();
                key.put("key", c.key());
                key.put("component", c.componentDigest());
                ObjectNode digests = key.putObject("inputs");
                c.inputDigests().forEach(digests::put);
                store.appendEvent(t.runId(), Optional.of(t.taskId()), CACHE_KEY_EVENT, Values.canonicalJson(key));
                store.appendEvent(t.runId(), Optional.of(t.taskId()),
                        "cache." + c.decision().name().toLowerCase(java.util.Locale.ROOT), c.reason());
            }
        }
        starts.forEach(a -> w.startedAttempts.add(a.number()));
        ends.forEach(a -> w.finishedAttempts.add(a.number()));
        w.lineage |= lineage;
        w.cacheDecision |= cacheDecision;
        if (t.state().isTerminal()) {
            written.remove(key(t));
        }
    }

    /** The status the store records for a run that ended so. */
    public static RunStatus recorded(dev.freestone.runtime.local.RunStatus ended) {
        return switch (ended) {
            case SUCCEEDED -> RunStatus.Succeeded;
            case CANCELLED -> RunStatus.Cancelled;
            case FAILED, ERROR, REJECTED -> RunStatus.Failed;
        };
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        flush();
        RunStatus status = recorded(outcome.status());
        ObjectNode outputs = Values.NODES.objectNode();
        outcome.outputs().forEach((name, v) -> outputs.set(name, storedValue(v)));
        store.updateRunStatus(outcome.runId(), status,
                status == RunStatus.Succeeded ? Optional.empty() : Optional.of(outcome.message()),
                Optional.of(Values.json(outputs)));
    }

    /**
     * A pipeline output as the store keeps it: a parameter as its JSON value (as a task's outputs), an
     * artifact as its row in {@code artifacts} shows it ({@code type}, {@code digest}, {@code uri}); lists
     * of them likewise.
     */
    private JsonNode storedValue(JsonNode v) {
        if (Values.isArtifactValue(v)) {
            String digest = Values.digestOf(v);
            return ArtifactRecord.outputJson(v.path("type").asText("Artifact"), digest,
                    stored(digest).map(ArtifactRecord::uriOf).orElse(null));
        }
        if (v != null && v.isArray()) {
            ArrayNode items = Values.NODES.arrayNode();
            v.forEach(item -> items.add(storedValue(item)));
            return items;
        }
        return v;
    }

    @Override
    public Optional<TaskRecord> findCached(String cacheKey) {
        // what this recorder has not committed yet is here; what it has, and other engines' work, is in the store
        synchronized (queue) {
            throwFailure();
            TaskRecord mine = uncommitted.get(cacheKey);
            if (mine != null) {
                return Optional.of(mine);
            }
        }
        return store.findCached(cacheKey).map(this::fromStore);
    }

    @Override
    public synchronized Optional<TaskRecord> findPrevious(String pipeline, String taskId) {
        // earlier runs only (the asking task of this run is not terminal yet): no need to wait for the
        // writer; each earlier run's events are read once, not once per task that asks (--explain-cache
        // on 2,000 changed steps took 35 s)
        List<RunRecord> runs = previousRuns.computeIfAbsent(pipeline,
                p -> store.listRuns(Optional.of(p), PREVIOUS_RUNS_SEARCHED));
        for (RunRecord run : runs) {
            Optional<dev.freestone.runtime.store.TaskRecord> task = store.task(run.id(), taskId);
            if (task.isEmpty() || !task.get().state().isTerminal()) {
                continue;
            }
            String key = cacheKeysOf(run).get(taskId);
            if (key != null) {
                return Optional.of(fromStore(task.get(), List.of(), cacheInfo(key)));
            }
        }
        return Optional.empty();
    }

    /** Each task's last cache key event in {@code run}; kept once the run has ended (it changes no more). */
    private Map<String, String> cacheKeysOf(RunRecord run) {
        Map<String, String> kept = cacheKeys.get(run.id());
        if (kept != null) {
            return kept;
        }
        Map<String, String> keys = cacheKeyEvents(store, run.id());
        if (run.status().isTerminal()) {
            cacheKeys.put(run.id(), keys);
        }
        return keys;
    }

    /** Each task's last {@value #CACHE_KEY_EVENT} event of the run, by task id: none for a task that had no key (an Argo run's). */
    private static Map<String, String> cacheKeyEvents(RunStore store, String runId) {
        Map<String, String> keys = new HashMap<>();
        for (EventRecord e : store.events(runId)) {
            if (e.kind().equals(CACHE_KEY_EVENT) && e.taskId().isPresent()) {
                keys.put(e.taskId().get(), e.message());
            }
        }
        return keys;
    }

    /**
     * The cache key each task of a recorded run had, with its component's digest and each input's, by task id (what
     * {@code freestone diff} compares); none for a task that had no key (a pipeline call, an Argo run's tasks).
     */
    public static Map<String, TaskRecord.CacheInfo> cacheKeys(RunStore store, String runId) {
        Map<String, TaskRecord.CacheInfo> out = new HashMap<>();
        cacheKeyEvents(store, runId).forEach((task, json) -> out.put(task, cacheInfo(json)));
        return out;
    }

    /** What {@link LocalEngine#resume} needs of a recorded run: its tasks with their outputs and attempts. */
    public PriorRun prior(String runId) {
        flush();
        Map<String, List<ArtifactRecord>> produced = new HashMap<>();
        store.artifacts(runId).forEach(a -> produced.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(a));
        Map<String, List<AttemptRecord>> attempts = new HashMap<>();
        store.attempts(runId).forEach(a -> attempts.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(a));
        Map<String, TaskRecord> tasks = new HashMap<>();
        for (dev.freestone.runtime.store.TaskRecord t : store.tasks(runId)) {
            TaskRecord.CacheInfo info = t.cacheKey().map(k -> new TaskRecord.CacheInfo(k, null, new TreeMap<>(), null, null,
                    null, null)).orElse(null);
            TaskRecord r = fromStore(t, produced.getOrDefault(t.taskId(), List.of()), info);
            List<TaskRecord.Attempt> as = attempts.getOrDefault(t.taskId(), List.of()).stream()
                    .map(a -> new TaskRecord.Attempt(a.number(), a.process().map(OsProcess::pid).orElse(null),
                            a.process().map(OsProcess::startedAt).orElse(null), a.startedAt(), a.finishedAt().orElse(null),
                            a.exitCode().orElse(null), false, null, a.logPath().map(Path::of).orElse(null), null))
                    .toList();
            tasks.put(t.taskId(), new TaskRecord(r.runId(), r.taskId(), r.nodeId(), r.kind(), r.callee(), null, null,
                    r.state(), as, r.startedAt(), r.finishedAt(), null, r.outputs(), r.cache(), List.of(), r.message()));
        }
        return new PriorRun(runId, tasks);
    }

    // --- conversions ------------------------------------------------------------------------------------

    private static dev.freestone.runtime.store.TaskRecord row(TaskRecord t) {
        ObjectNode params = Values.NODES.objectNode();
        if (t.outputs() != null) {
            t.outputs().forEach((k, v) -> {
                if (!Values.isArtifactValue(v)) {
                    params.set(k, v);
                }
            });
        }
        Integer exit = t.attempts().isEmpty() ? null : t.attempts().get(t.attempts().size() - 1).exitCode();
        String message = t.state().recordedMessage(t.message());
        return new dev.freestone.runtime.store.TaskRecord(t.runId(), t.taskId(), t.nodeId(), t.callee(), t.state().recorded(),
                t.attempts().size(), Optional.ofNullable(t.cache()).map(TaskRecord.CacheInfo::key),
                Optional.ofNullable(exit), Values.json(params), Optional.ofNullable(t.startedAt()),
                Optional.ofNullable(t.finishedAt()), Optional.ofNullable(message), t.items());
    }

    private List<ArtifactRecord> outputArtifacts(TaskRecord t) {
        List<ArtifactRecord> out = new ArrayList<>();
        if (t.outputs() == null) {
            return out;
        }
        t.outputs().forEach((name, v) -> {
            if (Values.isArtifactValue(v)) {
                stored(Values.digestOf(v)).ifPresent(s ->
                        out.add(ArtifactRecord.local(t.runId(), t.taskId(), name, v.path("type").asText("Artifact"), s)));
            }
        });
        return out;
    }

    private Optional<StoredArtifact> stored(String digest) {
        try {
            return artifacts.stored(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<MetricRecord> metrics(TaskRecord t) {
        return MetricsFile.rows(t.runId(), t.taskId(), t.metrics());
    }

    private void lineage(TaskRecord t, String input, JsonNode v) {
        Values.eachArtifactDigest(v, digest -> stored(digest).ifPresent(s -> store.recordLineage(
                new LineageRecord(t.runId(), t.taskId(), input, Optional.of(digest), s.path().toUri().toString()))));
    }

    private TaskRecord fromStore(CachedResult hit) {
        TaskRecord.CacheInfo info = hit.task().cacheKey()
                .map(k -> new TaskRecord.CacheInfo(k, null, new TreeMap<>(), null, null, null, null)).orElse(null);
        TaskRecord base = fromStore(hit.task(), hit.artifacts(), info);
        List<MetricsFile.Metric> ms = store.metrics(hit.task().runId()).stream()
                .filter(m -> m.taskId().equals(hit.task().taskId()))
                .map(MetricsFile::fromRow)
                .toList();
        return new TaskRecord(base.runId(), base.taskId(), base.nodeId(), base.kind(), base.callee(), null, null,
                base.state(), List.of(), base.startedAt(), base.finishedAt(), null, base.outputs(), base.cache(), ms,
                base.message());
    }

    private static TaskRecord fromStore(dev.freestone.runtime.store.TaskRecord t, List<ArtifactRecord> produced,
                                        TaskRecord.CacheInfo info) {
        SortedMap<String, JsonNode> outputs = new TreeMap<>();
        try {
            JsonNode params = Values.JSON.readTree(t.outputsJson());
            for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                outputs.put(e.getKey(), e.getValue());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the run store holds invalid outputs JSON for " + t.taskId(), e);
        }
        for (ArtifactRecord a : produced) {
            a.digest().ifPresent(d -> outputs.put(a.outputName(), Values.artifact(d, a.type())));
        }
        return new TaskRecord(t.runId(), t.taskId(), t.name(), "component", t.component(), null, null, TaskState.of(t.state()),
                List.of(), t.startedAt().orElse(null), t.finishedAt().orElse(null), null, outputs, info, List.of(),
                t.message().orElse(null));
    }

    private static TaskRecord.CacheInfo cacheInfo(String json) {
        try {
            JsonNode k = Values.JSON.readTree(json);
            SortedMap<String, String> digests = new TreeMap<>();
            k.path("inputs").fields().forEachRemaining(e -> digests.put(e.getKey(), e.getValue().asText()));
            return new TaskRecord.CacheInfo(k.path("key").asText(), k.path("component").asText(), digests, null, null,
                    null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the run store holds an invalid " + CACHE_KEY_EVENT + " event", e);
        }
    }
}
