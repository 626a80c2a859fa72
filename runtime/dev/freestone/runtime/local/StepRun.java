package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.runtime.store.MetricsFile;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task that calls a component: its inputs, its cache decision, and its attempts, each a process
 * in {@code <run dir>/<task id>/attempt-<n>/} with {@code in/} (read-only artifact inputs),
 * {@code out/} (where it writes its outputs), {@code log} (stdout and stderr) and, for a script,
 * {@code script}.
 */
final class StepRun {
    /** Output parameters larger than this are refused: the engine reads them into memory. */
    static final long MAX_PARAMETER_BYTES = 1 << 20;
    private static final int LOG_TAIL_LINES = 20;
    /** The name of the file in the attempt's directory that a script step's body is written to and run from. */
    private static final String SCRIPT_FILE = "script";

    private final Execution x;
    private final Ir.Task task;
    private final Ir.Component component;
    private final Scope scope;
    private final Execution.Phase phase;
    private final String taskId;
    private final TaskCard card;
    private final Ir.Retry retry;
    private final Long timeoutSeconds;
    private final Boolean cacheSetting;
    /** The mutexes the step holds while its attempts run; empty: none. */
    private final List<String> mutexes;
    private SortedMap<String, JsonNode> inputs;
    /** Why this machine cannot run the step (a cluster-only resource); null when it can. */
    private final String notHere;

    /** What one attempt ended as. */
    private record Result(TaskState state, String message, SortedMap<String, JsonNode> outputs,
                          List<MetricsFile.Metric> metrics) {
        static Result of(TaskState state, String message) {
            return new Result(state, message, new TreeMap<>(), List.of());
        }
    }

    /** A problem of this step that is the user's to fix; the message names the step. */
    private static final class StepError extends Exception {
        StepError(String message) {
            super(message);
        }
    }

    StepRun(Execution x, Ir.Task task, Scope scope, Execution.Phase phase) {
        this.x = x;
        this.task = task;
        Ir.Component declared = x.program.components().get(((Ir.ComponentCall) task.callee()).digest());
        this.notHere = declared == null ? null : ClusterSteps.whyNot(declared, x.programs, x.options.environment().get("PATH")).orElse(null);
        // a resource component with a usable `local` way runs that way, like any container step
        this.component = notHere == null ? ClusterSteps.localForm(declared) : declared;
        this.scope = scope;
        this.phase = phase;
        this.taskId = scope.taskId(task.id());
        this.card = x.card(scope, task);
        Ir.Settings own = component == null || component.settings() == null ? Ir.Settings.NONE : component.settings();
        Ir.Settings call = task.settings() == null ? Ir.Settings.NONE : task.settings();
        this.retry = call.retry() != null ? call.retry() : own.retry();
        this.timeoutSeconds = call.timeoutSeconds() != null ? call.timeoutSeconds() : own.timeoutSeconds();
        this.cacheSetting = call.cache() != null ? call.cache() : own.cache();
        List<String> locks = call.mutexes() != null ? call.mutexes() : own.mutexes();
        this.mutexes = locks == null ? List.of() : locks;
    }

    private String who() {
        return "step `" + taskId + "` (component `" + component.name() + "`"
                + (component.image() == null ? "" : ", image `" + component.image() + "`") + ")";
    }

    CompletableFuture<Scope.NodeResult> start() {
        if (component == null) {
            return finish(Result.of(TaskState.ERROR, "the program has no component " + task.callee()));
        }
        if (notHere != null) {
            return x.options.skipClusterSteps()
                    ? finish(Result.of(TaskState.SKIPPED, "skipped: --skip-cluster-steps: " + notHere))
                    : finish(Result.of(TaskState.ERROR, who() + " cannot run on this machine: " + notHere));
        }
        if (x.options.skipClusterSteps()) {
            String skipped = readsSkipped();
            if (skipped != null) {
                return finish(Result.of(TaskState.SKIPPED, "skipped: it reads an output of `" + skipped
                        + "`, which was skipped"));
            }
        }
        try {
            inputs = evaluateInputs();
        } catch (StepError e) {
            return finish(Result.of(TaskState.ERROR, e.getMessage()));
        }
        TaskRecord.CacheInfo key = cacheKey();
        synchronized (card) {
            card.inputs = inputs;
            card.cache = key;
            x.publish(card, card.state);
        }
        Optional<CompletableFuture<Scope.NodeResult>> reused = reuse(key);
        return reused.orElseGet(this::attempts);
    }

    /**
     * The attempts, once the step holds its mutexes: from the first attempt's start to the last one's end, retry
     * backoffs included, as Argo holds a template's for its node's life. While it waits the step is Pending, its
     * message naming the mutex and who holds it, and takes no place of {@code --parallelism}.
     */
    private CompletableFuture<Scope.NodeResult> attempts() {
        return Mutexes.holding(x.options.home(), mutexes, "step `" + taskId + "` of run " + x.runId, phase, busy -> {
            synchronized (card) {
                card.message = "waiting for " + busy;
                x.publishNews(card);
            }
        }, () -> attempt(1), n -> finish(Result.of(n.state(), n.state() == TaskState.ERROR ? who() + ": " + n.message()
                : n.message())));
    }

    /** The first task whose output an input reads and that was skipped (a cluster step, or one reading it). */
    private String readsSkipped() {
        java.util.ArrayDeque<Ir.Expr> todo = new java.util.ArrayDeque<>(task.inputs().values());
        while (!todo.isEmpty()) {
            Ir.Expr e = todo.pop();
            if (e instanceof Ir.OutputRef o) {
                Scope.NodeResult r = scope.result(o.node());
                if (r != null && r.state() == TaskState.SKIPPED) {
                    return o.node();
                }
            } else if (e instanceof Ir.FieldOf f) {
                todo.push(f.target());
            } else if (e instanceof Ir.IndexOf i) {
                todo.push(i.target());
                todo.push(i.index());
            } else if (e instanceof Ir.Unary u) {
                todo.push(u.operand());
            } else if (e instanceof Ir.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (e instanceof Ir.Builtin b && !b.function().equals("oneof")) {
                b.args().forEach(todo::push);
            } else if (e instanceof Ir.Concat c) {
                c.parts().forEach(todo::push);
            } else if (e instanceof Ir.ListOf l) {
                l.elements().forEach(todo::push);
            } else if (e instanceof Ir.MapOf m) {
                m.values().forEach(todo::push);
            }
        }
        return null;
    }

    private SortedMap<String, JsonNode> evaluateInputs() throws StepError {
        SortedMap<String, JsonNode> values = new TreeMap<>();
        for (Ir.Param p : component.inputs()) {
            Ir.Expr e = task.inputs().get(p.name());
            JsonNode v;
            try {
                v = e != null ? x.evaluator.eval(e, scope)
                        : p.defaultValue() != null ? p.defaultValue() : NullNode.getInstance();
                values.put(p.name(), Values.coerce(v, p.type(), x.program));
            } catch (Evaluator.EvalError | Values.BadValue err) {
                throw new StepError("input `" + p.name() + "`: " + err.getMessage());
            }
        }
        return values;
    }

    // --- caching ----------------------------------------------------------------------------------------

    private TaskRecord.CacheInfo cacheKey() {
        ObjectNode keyed = Values.NODES.objectNode();
        keyed.put("component", component.digest());
        ObjectNode in = keyed.putObject("inputs");
        SortedMap<String, String> digests = new TreeMap<>();
        inputs.forEach((k, v) -> {
            in.set(k, v);
            digests.put(k, "sha256:" + Values.sha256Hex(Values.canonicalJson(v)));
        });
        String key = "sha256:" + Values.sha256Hex(Values.canonicalJson(keyed));
        return new TaskRecord.CacheInfo(key, component.digest(), digests, null, null, null, null);
    }

    /** Outputs reused from the resumed run or the cache, when allowed and still there. */
    private Optional<CompletableFuture<Scope.NodeResult>> reuse(TaskRecord.CacheInfo key) {
        if (x.prior != null) {
            TaskRecord before = x.prior.tasks().get(taskId);
            if (before != null && before.succeeded() && before.cache() != null && key.key().equals(before.cache().key())
                    && artifactsPresent(before.outputs())) {
                return Optional.of(reused(key, TaskRecord.CacheDecision.RESUMED,
                        "succeeded in run " + x.prior.runId() + ", which this run resumes", x.prior.runId(), taskId,
                        before));
            }
        }
        Ir.Param volume = component.inputs().stream().filter(p -> p.type().equals(IrType.VOLUME)).findFirst().orElse(null);
        if (volume != null) {
            // the claim's files are state the key does not see: what the step read may have changed, what it wrote may be gone
            setCache(key, TaskRecord.CacheDecision.DISABLED, "the step mounts volume `" + inputs.get(volume.name()).asText()
                    + "` (input `" + volume.name() + "`), whose files the cache key cannot see: it always runs", null, null);
            return Optional.empty();
        }
        if (x.options.noCache()) {
            setCache(key, TaskRecord.CacheDecision.DISABLED, "caching is off for this run", null, null);
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(cacheSetting)) {
            // run.status is known only in a `finally` block, whose steps the IR marks `cache = false`
            setCache(key, TaskRecord.CacheDecision.DISABLED, scope.runStatus() != null
                    ? "a `finally` step is not cached unless its call says `with { cache = true }`"
                    : "the step has `cache = false`", null, null);
            return Optional.empty();
        }
        Optional<TaskRecord> hit = x.recorder.findCached(key.key());
        if (hit.isPresent() && artifactsPresent(hit.get().outputs())) {
            TaskRecord h = hit.get();
            return Optional.of(reused(key, TaskRecord.CacheDecision.HIT,
                    "same key as task `" + h.taskId() + "` of run " + h.runId(), h.runId(), h.taskId(), h));
        }
        String why = hit.isPresent()
                ? "an earlier execution (run " + hit.get().runId() + ") had this key, but its output artifacts are gone"
                : x.options.explainCache() ? explainMiss(key) : "no earlier execution with this key";
        setCache(key, TaskRecord.CacheDecision.MISS, why, null, null);
        return Optional.empty();
    }

    /** Which inputs (or the component) changed since the last recorded execution of this task. */
    private String explainMiss(TaskRecord.CacheInfo key) {
        Optional<TaskRecord> prev = x.recorder.findPrevious(x.program.name(), taskId);
        if (prev.isEmpty() || prev.get().cache() == null) {
            return "no earlier execution with this key (task `" + taskId + "` never ran before)";
        }
        List<String> changes = key.changesSince(prev.get().cache());
        if (changes.isEmpty() && prev.get().succeeded()) {
            // it succeeded with this key, so the cache refused it for its outputs
            return "the last execution (run " + prev.get().runId() + ") had the same key but an output of it is"
                    + " no longer in the artifact store (deleted or replaced by hand)";
        }
        if (changes.isEmpty()) {
            return "the last execution (run " + prev.get().runId() + ") had the same key but did not succeed (it "
                    + prev.get().state().said() + ")";
        }
        return String.join(", ", changes) + " since run " + prev.get().runId();
    }

    private void setCache(TaskRecord.CacheInfo key, TaskRecord.CacheDecision d, String reason, String run, String task) {
        synchronized (card) {
            // not published on its own: the step's next change (Running, or its end) carries it to the store
            card.cache = new TaskRecord.CacheInfo(key.key(), key.componentDigest(), key.inputDigests(), d, reason, run, task);
        }
    }

    private CompletableFuture<Scope.NodeResult> reused(TaskRecord.CacheInfo key, TaskRecord.CacheDecision d,
                                                       String reason, String run, String task, TaskRecord source) {
        synchronized (card) {
            card.cache = new TaskRecord.CacheInfo(key.key(), key.componentDigest(), key.inputDigests(), d, reason, run, task);
        }
        SortedMap<String, JsonNode> outputs = source.outputs() == null ? new TreeMap<>() : new TreeMap<>(source.outputs());
        return finish(new Result(TaskState.CACHED, null, outputs, source.metrics()));
    }

    private boolean artifactsPresent(JsonNode v) {
        if (v == null) {
            return true;
        }
        if (Values.isArtifactValue(v)) {
            return x.artifacts.locate(Values.digestOf(v)).isPresent();
        }
        for (JsonNode c : v) {
            if (!artifactsPresent(c)) {
                return false;
            }
        }
        return true;
    }

    private boolean artifactsPresent(Map<String, JsonNode> outputs) {
        if (outputs == null) {
            return false;
        }
        for (Ir.Field f : component.outputs()) {
            if (!outputs.containsKey(f.name())) {
                return false;
            }
        }
        return outputs.values().stream().allMatch(this::artifactsPresent);
    }

    // --- attempts ---------------------------------------------------------------------------------------

    private CompletableFuture<Scope.NodeResult> attempt(int n) {
        return CompletableFuture.supplyAsync(() -> runAttempt(n), x.workers).thenCompose(r -> {
            // a step the run's timeout stopped is not tried again: the run is over
            if (r.state() == TaskState.SUCCEEDED || r.state() == TaskState.CANCELLED || phase.timedOut || !retries(r.state(), n)) {
                return finish(r);
            }
            Duration wait = backoff(n);
            synchronized (card) {
                card.message = "attempt " + n + " " + r.state().said() + "; retrying in "
                        + wait.toMillis() / 1000.0 + "s: " + r.message();
                x.publishNews(card);
            }
            return x.delay(wait, phase).thenCompose(v -> phase.cancelled
                    ? finish(Result.of(TaskState.CANCELLED, phase.stoppedBy + " while the step waited to retry"))
                    : attempt(n + 1));
        });
    }

    /** Whether attempt {@code n}, which ended in {@code state}, is followed by another (Argo's retry policies). */
    private boolean retries(TaskState state, int n) {
        if (retry == null || n > retry.limit()) {
            return false;
        }
        String policy = retry.policy() == null ? "OnFailure" : retry.policy();
        return switch (policy) {
            case "Always" -> state == TaskState.FAILED || state == TaskState.ERROR;
            case "OnError", "OnTransientError" -> state == TaskState.ERROR;
            default -> state == TaskState.FAILED;
        };
    }

    /** backoff × factor^(n-1), at most max backoff; no backoff set: retry at once. */
    private Duration backoff(int n) {
        if (retry.backoffSeconds() == null) {
            return Duration.ZERO;
        }
        double seconds = retry.backoffSeconds() * Math.pow(retry.backoffFactor() == null ? 1 : retry.backoffFactor(), n - 1);
        if (retry.maxBackoffSeconds() != null) {
            seconds = Math.min(seconds, retry.maxBackoffSeconds());
        }
        return Duration.ofMillis((long) (Math.min(seconds, 86_400 * 365) * 1000));
    }

    private CompletableFuture<Scope.NodeResult> finish(Result r) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>(r.outputs());
        synchronized (card) {
            card.outputs = r.outputs();
            card.metrics = r.metrics();
            x.update(card, r.state(), r.message());
        }
        return CompletableFuture.completedFuture(new Scope.NodeResult(r.state(), outputs));
    }

    /** Runs attempt {@code n} to its end on this (worker) thread. */
    private Result runAttempt(int n) {
        if (phase.cancelled) {
            return Result.of(TaskState.CANCELLED, phase.stoppedBy + " before it started");
        }
        Path dir = x.runDir.resolve(taskId).resolve("attempt-" + n);
        Path log = dir.resolve("log");
        Instant started = Instant.now();
        Process process;
        List<LinkedInput> linked;
        try {
            // in/ appears when an artifact input is linked there, out/ when the component has outputs;
            // the log is created (emptied, should a resumed run's attempt have left one) as the step starts
            WorkFiles.createDirectory(dir);
            if (!component.outputs().isEmpty()) {
                WorkFiles.mkdirIfAbsent(dir.resolve("out"));
            }
            Invocation inv = prepare(dir);
            linked = inv.linked();
            process = ProcessTree.start(inv.argv(), inv.env(), x.options.workingDirectory(), log, x.slots,
                    () -> phase.cancelled);
            // a step may have waited for a place: it started now
            started = Instant.now();
        } catch (Launcher.StartCancelled e) {
            // withdrawn while it waited for a place: no process, no attempt
            return Result.of(TaskState.CANCELLED, phase.stoppedBy + " before it started");
        } catch (StepError e) {
            // no process, so no log: a log path would read, to `freestone logs`, as a log deleted by hand
            return attemptEnded(n, dir, null, started, null, null, null, false, Result.of(TaskState.ERROR, e.getMessage()));
        } catch (IOException e) {
            return attemptEnded(n, dir, null, started, null, null, null, false,
                    Result.of(TaskState.ERROR, who() + " could not be started: " + e.getMessage()));
        }
        phase.running.add(process);
        if (phase.cancelled) {
            Execution.Phase.killAsync(process, x.options.killGrace());
        }
        // the process's identity against pid reuse, for resume: the OS's start time; for a step of the
        // launcher (which stops it with the engine) the time its start was reported, milliseconds after
        // the OS's and well inside OsProcess's tolerance, without reading /proc for every step
        Instant processStart = ProcessTree.startedByLauncher(process) ? started : ProcessTree.startOf(process.toHandle());
        synchronized (card) {
            if (card.startedAt == null) {
                card.startedAt = started;
            }
            card.putAttempt(new TaskRecord.Attempt(n, process.pid(), processStart, started, null, null, false, dir, log, null));
            x.update(card, TaskState.RUNNING, null);
        }
        // A step started from the JVM outlives a killed engine: its pid must be in the store before
        // anything else happens, as it is how resume finds and stops it. The launcher stops its steps
        // itself when the engine dies, so theirs may lag by a few milliseconds like the other records.
        if (!ProcessTree.startedByLauncher(process)) {
            x.recordNow();
        }
        boolean timedOut = false;
        int exit;
        try {
            if (timeoutSeconds != null && timeoutSeconds > 0) {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    timedOut = true;
                    ProcessTree.kill(process.toHandle(), x.options.killGrace());
                }
            }
            exit = process.waitFor();
        } catch (InterruptedException e) {
            ProcessTree.kill(process.toHandle(), x.options.killGrace());
            Thread.currentThread().interrupt();
            phase.running.remove(process);
            return attemptEnded(n, dir, log, started, process.pid(), processStart, null, false,
                    damagedInput(linked).orElse(Result.of(TaskState.CANCELLED, "the engine was interrupted")));
        }
        ProcessTree.killLeftovers(process);
        phase.running.remove(process);
        Result r;
        if (timedOut) {
            r = Result.of(TaskState.FAILED, who() + " timed out after " + timeoutSeconds + "s on attempt " + n
                    + "; its process tree was killed" + tail(log));
        } else if (phase.timedOut) {
            // the run's deadline stops it as its own timeout would: Failed, as Argo fails a Workflow's running nodes then
            r = Result.of(TaskState.FAILED, who() + " was stopped on attempt " + n + ": " + phase.stoppedBy
                    + "; its process tree was killed" + tail(log));
        } else if (phase.cancelled) {
            // stopped by the cancel, whatever its exit code: a step that exits 0 on SIGTERM (saving a
            // checkpoint, say) left outputs half-written, which a cache hit or a resume would reuse as
            // whole. (Read after the step left `running`: false means the cancel never signalled it.)
            r = Result.of(TaskState.CANCELLED, "the run was cancelled; the step's processes were killed"
                    + (exit == 0 ? " (it exited with code 0, but what it wrote when stopped is not kept)" : ""));
        } else if (exit != 0) {
            r = Result.of(TaskState.FAILED, who() + " exited with code " + exit + " on attempt " + n + tail(log));
        } else {
            try {
                r = collectOutputs(dir.resolve("out"));
            } catch (StepError e) {
                r = Result.of(TaskState.ERROR, e.getMessage());
            } catch (IOException e) {
                r = Result.of(TaskState.ERROR, who() + ": its outputs could not be read: " + e.getMessage());
            }
        }
        return attemptEnded(n, dir, log, started, process.pid(), processStart, exit, timedOut, damagedInput(linked).orElse(r));
    }

    /**
     * An error when the step wrote into a stored object it was given as an input: the object no longer
     * holds what its digest names, so it leaves the store (a later reader, cache hit or resume would
     * get the altered bytes under the old name; a task that produced it runs again instead). A step
     * that only touched a file (its time, not its content) is no error.
     */
    private Optional<Result> damagedInput(List<LinkedInput> linked) {
        for (LinkedInput in : linked) {
            if (in.files().stream().noneMatch(WorkFiles.Stamp::changed)) {
                continue;
            }
            try {
                if (x.artifacts.intact(in.digest())) {
                    continue;
                }
                x.artifacts.evict(in.digest());
            } catch (IOException e) {
                // an object that cannot be read or removed is still one the step changed
            }
            // the step wrote it, as a rule; a step given the same object at the same time sees it too
            return Optional.of(Result.of(TaskState.ERROR, who() + ": its input `" + in.input()
                    + "` was written while it ran, though it is a read-only link into the artifact store (a step"
                    + " run as root, or one that changes the link's mode, can write it anyway); the stored artifact "
                    + in.digest() + " no longer holds what its digest names and has been removed from the store;"
                    + " a step writes its results to its outputs, and copies an input before changing it"));
        }
        return Optional.empty();
    }

    private Result attemptEnded(int n, Path dir, Path log, Instant started, Long pid, Instant processStart,
                                Integer exit, boolean timedOut, Result result) {
        // the message may quote the step's log or output: it is recorded and shown, its secrets are not
        Result r = result.message() == null ? result
                : new Result(result.state(), Secrets.mask(result.message(), secretValues()), result.outputs(), result.metrics());
        synchronized (card) {
            if (card.startedAt == null) {
                card.startedAt = started;
            }
            card.putAttempt(new TaskRecord.Attempt(n, pid, processStart, started, Instant.now(), exit, timedOut, dir, log,
                    r.state() == TaskState.SUCCEEDED ? null : r.message()));
            x.publish(card, card.state);
        }
        return r;
    }

    /** The values of this step's secrets that resolve here (to mask them in what the engine writes). */
    private List<String> secretValues() {
        List<String> values = new ArrayList<>();
        if (component.env() != null) {
            for (Ir.EnvValue v : component.env().values()) {
                if (v instanceof Ir.EnvSecret s) {
                    x.secrets.resolve(s.secret(), s.key()).ifPresent(values::add);
                }
            }
        }
        return values;
    }

    /** The last lines of the attempt's log; those citing a line of the step's script name its .pipe line too. */
    private String tail(Path log) {
        List<String> lines = ProcessTree.tail(log, LOG_TAIL_LINES);
        if (lines.isEmpty()) {
            return LogTail.EMPTY + log + ")";
        }
        ScriptLines script = ScriptLines.of(component, log.resolveSibling(SCRIPT_FILE));
        StringBuilder sb = new StringBuilder(LogTail.LINES).append(log).append("):");
        lines.forEach(l -> sb.append('\n').append(LogTail.LINE).append(script == null ? l : script.annotate(l)));
        return sb.toString();
    }

    // --- the process ------------------------------------------------------------------------------------

    private record Invocation(List<String> argv, Map<String, String> env, List<LinkedInput> linked) {
    }

    /** A stored object a step was given by hard links (its files as they were): input {@code input} holds it. */
    private record LinkedInput(String input, String digest, List<WorkFiles.Stamp> files) {
    }

    /** Materializes the inputs and builds argv and environment. */
    private Invocation prepare(Path dir) throws StepError, IOException {
        Map<String, String> inputText = new LinkedHashMap<>();
        Map<String, IrType> types = new LinkedHashMap<>();
        List<LinkedInput> linked = new ArrayList<>();
        for (Ir.Param p : component.inputs()) {
            if (p.type().equals(IrType.VOLUME)) {
                // the claim's folder on this machine, the same for every step and run that names the claim
                Path folder = x.options.volume(inputs.get(p.name()).asText());
                Files.createDirectories(folder);
                inputText.put(p.name(), folder.toString());
                types.put(p.name(), p.type());
                continue;
            }
            JsonNode local = materialize(inputs.get(p.name()), p.type(), dir.resolve("in").resolve(p.name()), p.name(), linked);
            inputText.put(p.name(), Values.text(local, p.type()));
            types.put(p.name(), p.type());
        }
        Map<String, String> outputPath = new LinkedHashMap<>();
        for (Ir.Field f : component.outputs()) {
            outputPath.put(f.name(), dir.resolve("out").resolve(f.name()).toString());
        }
        Map<String, String> env = new TreeMap<>(x.baseEnvironment);
        List<String> argv = new ArrayList<>();
        if (component.script() != null) {
            Path script = dir.resolve(SCRIPT_FILE);
            Files.writeString(script, component.script().source(), StandardCharsets.UTF_8);
            List<String> interpreter = component.script().interpreter() == null || component.script().interpreter().isEmpty()
                    ? List.of("sh") : component.script().interpreter();
            argv.addAll(interpreter);
            argv.add(script.toString());
            env.putAll(inputText);
            env.putAll(outputPath);
        } else if (component.command() != null && !component.command().isEmpty()) {
            for (Ir.CommandArg a : component.command()) {
                argv.add(substitute(a, inputText, outputPath));
            }
        } else {
            throw new StepError(who() + " has neither a command nor a script");
        }
        if (component.env() != null) {
            for (Map.Entry<String, Ir.EnvValue> e : component.env().entrySet()) {
                if (e.getValue() instanceof Ir.EnvText t) {
                    env.put(e.getKey(), substitute(t.value(), inputText, outputPath));
                } else {
                    Ir.EnvSecret s = (Ir.EnvSecret) e.getValue();
                    env.put(e.getKey(), x.secrets.resolve(s.secret(), s.key()).orElseThrow(() -> new StepError(
                            who() + ": secret `" + s.secret() + "` key `" + s.key() + "` is not set locally: "
                                    + x.secrets.whereToPut(s.secret(), s.key()))));
                }
            }
        }
        Path program = x.programs.find(argv.get(0), env.get("PATH"))
                .orElseThrow(() -> new StepError(Programs.missing(who(), argv.get(0))));
        argv.set(0, program.toString());
        return new Invocation(argv, env, linked);
    }

    private String substitute(Ir.CommandArg a, Map<String, String> inputText, Map<String, String> outputPath)
            throws StepError {
        StringBuilder sb = new StringBuilder();
        for (Ir.ArgPart part : a.parts()) {
            if (part instanceof Ir.Text t) {
                sb.append(t.text());
            } else if (part instanceof Ir.InputValue v) {
                sb.append(lookup(inputText, v.input(), "input"));
            } else if (part instanceof Ir.InputPath p) {
                sb.append(lookup(inputText, p.input(), "input"));
            } else {
                sb.append(lookup(outputPath, ((Ir.OutputPath) part).output(), "output"));
            }
        }
        return sb.toString();
    }

    private String lookup(Map<String, String> m, String name, String what) throws StepError {
        String v = m.get(name);
        if (v == null) {
            throw new StepError(who() + ": the command names " + what + " `" + name + "`, which the component does not have");
        }
        return v;
    }

    /**
     * The value as the step sees it: each artifact in it (by type) replaced by the path of a
     * read-only copy (hard link) under {@code dest}: {@code in/<input>} for one artifact,
     * {@code in/<input>/<index or key>} inside lists, maps and structs.
     */
    private JsonNode materialize(JsonNode v, IrType type, Path dest, String input, List<LinkedInput> linked)
            throws StepError, IOException {
        if (v == null || v.isNull()) {
            return NullNode.getInstance();
        }
        IrType t = type.stripOptional();
        if (Values.isArtifactType(t, x.program)) {
            String digest = v.path(Values.ARTIFACT_KEY).asText();
            Path src = x.artifacts.locate(digest).orElseThrow(() -> new StepError(
                    who() + ": input artifact " + digest + " is not in the artifact store"));
            Files.createDirectories(dest.getParent());
            linked.add(new LinkedInput(input, digest, WorkFiles.linkTree(src, dest)));
            return TextNode.valueOf(dest.toString());
        }
        if (t.isList() && v.isArray()) {
            ArrayNode out = Values.NODES.arrayNode();
            for (int i = 0; i < v.size(); i++) {
                out.add(materialize(v.get(i), t.element(), dest.resolve(Integer.toString(i)), input, linked));
            }
            return out;
        }
        if (t.isMap() && v.isObject()) {
            ObjectNode out = Values.NODES.objectNode();
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                String safe = i + "-" + e.getKey().replaceAll("[^A-Za-z0-9._-]", "_");
                out.set(e.getKey(), materialize(e.getValue(), t.mapValue(), dest.resolve(safe), input, linked));
            }
            return out;
        }
        List<Ir.Field> fields = x.program.structs() == null ? null : x.program.structs().get(t.spelling());
        if (fields != null && v.isObject()) {
            ObjectNode out = Values.NODES.objectNode();
            for (Ir.Field f : fields) {
                out.set(f.name(), materialize(v.get(f.name()), f.type(), dest.resolve(f.name()), input, linked));
            }
            return out;
        }
        return v;
    }

    private Result collectOutputs(Path out) throws StepError, IOException {
        SortedMap<String, JsonNode> outputs = new TreeMap<>();
        List<MetricsFile.Metric> metrics = new ArrayList<>();
        // links are never followed out of out/: the store would copy, and a value would read, whatever
        // file of this machine they name (Argo's executor sees only the pod's own file system)
        if (!component.outputs().isEmpty() && !Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new StepError(who() + ": its output folder " + out + " is no longer a folder (a step writes its outputs"
                    + " into it, it does not replace it)");
        }
        for (Ir.Field f : component.outputs()) {
            Path p = out.resolve(f.name());
            if (Files.isSymbolicLink(p)) {
                throw new StepError(who() + ": output `" + f.name() + "` is a symbolic link (to "
                        + Files.readSymbolicLink(p) + "); write the file or folder itself, links are not followed");
            }
            boolean exists = Files.exists(p);
            if (!exists && f.type().isOptional()) {
                outputs.put(f.name(), NullNode.getInstance());
                continue;
            }
            if (Values.isArtifactType(f.type(), x.program)) {
                if (!exists) {
                    throw new StepError(who() + " did not write its output artifact `" + f.name() + "` (to " + p + ")");
                }
                if (x.program.isMetrics(f.type())) {
                    metrics.addAll(readMetrics(f.name(), p));
                }
                outputs.put(f.name(), Values.artifact(x.artifacts.put(p), f.type().stripOptional().spelling()));
            } else {
                if (!Files.isRegularFile(p)) {
                    throw new StepError(who() + " did not write its output `" + f.name() + "` (to " + p + ")");
                }
                long size = Files.size(p);
                if (size > MAX_PARAMETER_BYTES) {
                    throw new StepError(who() + ": output `" + f.name() + "` is " + size
                            + " bytes; parameters are limited to 1 MiB (make it an artifact)");
                }
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
                try {
                    outputs.put(f.name(), Values.parseOutput(text, f.type(), x.program));
                } catch (Values.BadValue e) {
                    // the message quotes the start of the text, which may cut a secret short of its mask
                    String why = Secrets.mask(text, secretValues()).equals(text) ? e.getMessage()
                            : "not a valid " + f.type().spelling() + " (the text holds a secret of the step, not shown)";
                    throw new StepError(who() + ": output `" + f.name() + "`: " + why);
                }
            }
        }
        return new Result(TaskState.SUCCEEDED, null, outputs, metrics);
    }

    /** The rows of a metrics output, read as the Argo mirror reads its parameter ({@link MetricsFile}). */
    private List<MetricsFile.Metric> readMetrics(String output, Path p) throws StepError, IOException {
        if (!Files.isRegularFile(p) || Files.size(p) > MetricsFile.MAX_BYTES) {
            throw new StepError(who() + ": metrics output `" + output + "` must be a JSON file of at most 1 MiB");
        }
        try {
            return MetricsFile.parse(output, Files.readAllBytes(p));
        } catch (MetricsFile.Malformed e) {
            throw new StepError(who() + ": " + e.getMessage());
        }
    }
}
