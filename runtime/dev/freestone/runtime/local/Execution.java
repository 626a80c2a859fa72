package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.freestone.ir.Ir;
import dev.freestone.runtime.store.LoopItem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One run of a program: schedules its DAG, records every task, and computes the outcome.
 *
 * <p>Each body is a set of futures, one per node, each started when the futures of the nodes it
 * depends on completed: a node becomes ready exactly when its dependencies finished. Steps run on a
 * fixed pool of {@code parallelism} threads (the ready queue is the pool's queue; a thread is busy
 * for as long as its step's process runs); loop iterations are started by {@link #fanOut} at most
 * {@code parallelism} of the loop at a time; retry backoff waits on a timer, not on a worker. Nothing
 * waits on a future except the caller of {@link #execute}, so no nesting of loops and pipelines can
 * exhaust the pool.
 */
final class Execution {
    /** The main body and the exit handler each have their own cancellation, so the exit handler runs after a cancel. */
    static final class Phase {
        volatile boolean cancelled;
        /** Said by the steps it stopped or never started: a Ctrl-C, or the run's timeout. */
        volatile String stoppedBy = "the run was cancelled";
        /** Whether the run's timeout stopped it: its running steps then end Failed, as Argo fails them. */
        volatile boolean timedOut;
        final CompletableFuture<Void> signal = new CompletableFuture<>();
        final Set<Process> running = ConcurrentHashMap.newKeySet();

        void cancel(Duration grace, ProcessTree.Slots slots) {
            cancelled = true;
            signal.complete(null);
            // the steps waiting for a place go first, so that none starts in the place of a killed one
            slots.withdrawWaiting();
            for (Process p : running) {
                killAsync(p, grace);
            }
        }

        static void killAsync(Process p, Duration grace) {
            Thread t = new Thread(() -> ProcessTree.kill(p.toHandle(), grace), "freestone-kill-" + p.pid());
            t.setDaemon(true);
            t.start();
        }
    }

    final Ir.Program program;
    final EngineOptions options;
    final RunRecorder recorder;
    final Artifacts artifacts;
    final Secrets secrets;
    final String runId;
    final Path runDir;
    final PriorRun prior;
    final Evaluator evaluator;
    final ExecutorService workers;
    /** at most --parallelism steps run at once */
    final ProcessTree.Slots slots;
    final SortedMap<String, String> baseEnvironment;
    private final Map<String, TaskCard> cards = new ConcurrentHashMap<>();
    /** where the steps' programs are, remembered for the run */
    final Programs programs = new Programs();
    private final List<String> runProblems = Collections.synchronizedList(new ArrayList<>());
    final Phase mainPhase = new Phase();
    final Phase exitPhase = new Phase();
    private volatile Phase current = mainPhase;
    private volatile RuntimeException recorderFailure;
    /** The root pipeline's nodes that run (--only), or empty: all. */
    private final java.util.Optional<java.util.Set<String>> selected;
    /** The scope of the root pipeline's body, whose nodes --only selects. */
    private volatile Scope rootScope;

    Execution(Ir.Program program, EngineOptions options, RunRecorder recorder, Artifacts artifacts, String runId,
              PriorRun prior) {
        this.program = program;
        this.options = options;
        this.recorder = recorder;
        this.artifacts = artifacts;
        this.secrets = new Secrets(options.environment(), options.secretsDir());
        this.runId = runId;
        this.runDir = options.runsDir().resolve(runId);
        this.prior = prior;
        this.evaluator = new Evaluator(program, runId, program.name());
        this.selected = Selection.of(program.root(), options.only());
        AtomicInteger n = new AtomicInteger();
        this.slots = new ProcessTree.Slots(options.parallelism());
        // twice as many threads as places: while a place's step runs, the next one is prepared and
        // handed over (ProcessTree.Slots), so that it starts the moment the place frees
        this.workers = Executors.newFixedThreadPool(2 * options.parallelism(), r -> {
            Thread t = new Thread(r, "freestone-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SortedMap<String, String> env = new TreeMap<>();
        // steps see the engine's environment, but not the secrets meant for other steps
        options.environment().forEach((k, v) -> {
            if (!k.startsWith(Secrets.ENV_PREFIX)) {
                env.put(k, v);
            }
        });
        // sorted, so that each step's copy is built without sorting again
        this.baseEnvironment = Collections.unmodifiableSortedMap(env);
    }

    void cancel() {
        current.cancel(options.killGrace(), slots);
    }

    /**
     * The run's own {@code timeout} passed: its body is stopped as a Ctrl-C stops it, and its exit handler still runs
     * (not bounded by it), as Argo runs a Workflow's onExit after its activeDeadlineSeconds.
     */
    private void timeOut(long seconds) {
        if (current != mainPhase || mainPhase.cancelled) {
            return;
        }
        String said = "the run exceeded its timeout of " + dev.freestone.ir.ValueText.durationLiteral(seconds);
        runProblems.add(said);
        mainPhase.stoppedBy = said;
        mainPhase.timedOut = true;
        mainPhase.cancel(options.killGrace(), slots);
    }

    // --- the run ----------------------------------------------------------------------------------------

    RunOutcome execute(SortedMap<String, JsonNode> params) {
        Instant startedAt = Instant.now();
        Ir.Dag root = program.root();
        guard(() -> recorder.runStarted(new RunInfo(runId, program.name(), program.sourceFile(), program.sourceDigest(),
                params, startedAt, runDir, prior == null ? null : prior.runId())));
        options.progress().onEvent(new ProgressListener.RunStarted(runId, program.name()));
        killOrphans();
        ProcessTree.engineStarted();
        Mutexes.Lease lease = null;
        // the deadline counts from the run's start, its wait for its own mutexes included, as Argo's from the Workflow's
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        if (root.timeoutSeconds() != null) {
            long seconds = root.timeoutSeconds();
            CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> deadline.complete(null));
            deadline.thenRun(() -> timeOut(seconds));
        }
        try {
            Scope scope = Scope.root(params, "");
            rootScope = scope;
            if (root.mutexes() != null && !root.mutexes().isEmpty()) {
                // the run's own, held from before its first step to after its exit handler, as Argo's Workflow holds them
                boolean[] waited = {false};
                try {
                    lease = Mutexes.acquire(options.home(), root.mutexes(), "run " + runId, () -> mainPhase.cancelled,
                            mainPhase.signal, busy -> {
                                // the store says it too (Pending, with who holds it), for `show` in another terminal
                                waited[0] = true;
                                guard(() -> recorder.runWaiting(runId, Optional.of("waiting for " + busy)));
                                options.progress().onEvent(new ProgressListener.RunWaiting(runId, "waiting for " + busy));
                            }).join();
                } catch (java.util.concurrent.CompletionException e) {
                    return notRun(root, scope, Mutexes.NotTaken.failed(root.mutexes(), e), startedAt);
                }
                if (lease == null) {
                    return notRun(root, scope, Mutexes.NotTaken.cancelled(root.mutexes()), startedAt);
                }
                if (waited[0]) {
                    guard(() -> recorder.runWaiting(runId, Optional.empty()));
                }
            }
            TaskState body = runBody(root.body(), scope, mainPhase).join();
            RunStatus status = mainPhase.timedOut ? RunStatus.FAILED
                    : mainPhase.cancelled ? RunStatus.CANCELLED : statusOf(body);
            current = exitPhase;
            if (!root.exitHandler().isEmpty()) {
                TaskState exit = runBody(root.exitHandler(),
                        scope.exitHandler(status.runStatusText(), failures("")), exitPhase).join();
                if (status == RunStatus.SUCCEEDED && !exit.letsDependentsRun()) {
                    status = exit == TaskState.CANCELLED ? RunStatus.CANCELLED : statusOf(exit);
                }
            }
            SortedMap<String, JsonNode> outputs = new TreeMap<>();
            for (Ir.PipelineOutput o : root.outputs()) {
                try {
                    // a run that skips cluster steps, or steps --only left out, has no value for an output they make
                    outputs.put(o.name(), options.skipClusterSteps() || selected.isPresent() ? evaluator.evalOrNull(o.value(), scope)
                            : evaluator.eval(o.value(), scope));
                } catch (Evaluator.EvalError e) {
                    if (status == RunStatus.SUCCEEDED) {
                        status = RunStatus.ERROR;
                        runProblems.add("pipeline output `" + o.name() + "`: " + e.getMessage());
                    }
                }
            }
            return finish(status, outputs, startedAt);
        } finally {
            deadline.cancel(false);
            if (lease != null) {
                lease.release();
            }
            workers.shutdownNow();
            ProcessTree.engineFinished();
        }
    }

    /** Ends a run that started nothing, as its own mutexes were not taken: its steps end as the run does. */
    private RunOutcome notRun(Ir.Dag root, Scope scope, Mutexes.NotTaken why, Instant startedAt) {
        runProblems.add(why.message());
        boolean cancelled = why.state() == TaskState.CANCELLED;
        markAll(root.body(), scope, why.state(), cancelled ? mainPhase.stoppedBy + " before it started" : why.message());
        RunStatus status = mainPhase.timedOut ? RunStatus.FAILED : cancelled ? RunStatus.CANCELLED : RunStatus.ERROR;
        return finish(status, new TreeMap<>(), startedAt);
    }

    private RunOutcome finish(RunStatus status, SortedMap<String, JsonNode> outputs, Instant startedAt) {
        // whatever never reached a terminal state (it was waiting when the run was cancelled) ends Cancelled
        for (TaskCard card : cards.values()) {
            synchronized (card) {
                if (!card.state.isTerminal()) {
                    update(card, TaskState.CANCELLED, mainPhase.stoppedBy);
                }
            }
        }
        recordNow();
        SortedMap<String, TaskRecord> tasks = new TreeMap<>();
        cards.forEach((id, card) -> {
            synchronized (card) {
                tasks.put(id, card.snapshot());
            }
        });
        if (recorderFailure != null) {
            runProblems.add("the run store failed: " + recorderFailure.getMessage());
            if (status == RunStatus.SUCCEEDED) {
                status = RunStatus.ERROR;
            }
        }
        Instant finishedAt = Instant.now();
        RunOutcome outcome = new RunOutcome(runId, status, outputs, tasks, startedAt, finishedAt,
                message(status, tasks), List.copyOf(runProblems));
        guard(() -> recorder.runFinished(outcome));
        options.progress().onEvent(new ProgressListener.RunFinished(runId, status, Duration.between(startedAt, finishedAt)));
        return outcome;
    }

    private String message(RunStatus status, SortedMap<String, TaskRecord> tasks) {
        if (status == RunStatus.SUCCEEDED) {
            return "succeeded";
        }
        List<String> lines = new ArrayList<>();
        if (status == RunStatus.CANCELLED) {
            // `show` puts it after "Cancelled: ", so it says what that did, not the state again; a failed
            // `finally` step follows it
            lines.add("its running steps were stopped, the rest did not start");
        }
        tasks.values().stream()
                .filter(t -> t.state() == TaskState.FAILED || t.state() == TaskState.ERROR)
                .forEach(t -> lines.add("task `" + t.taskId() + "` " + t.state().said()
                        + (t.message() == null ? "" : ": " + LogTail.headline(t.message(), text -> text).lines().findFirst().orElse(""))));
        lines.addAll(runProblems);
        return lines.isEmpty() ? status.runStatusText().toLowerCase() : String.join("\n", lines);
    }

    /**
     * {@code run.failures} of the body whose tasks' ids start with {@code prefix} (all of the run's: ""): each step that
     * ended Failed or Error once, with its last attempt's message, named as {@code show} names it ({@code fit[2]}), by
     * the second it finished at and then by name: Argo's list, sorted by the lowering, has finish times in whole
     * seconds. A call of a pipeline is no step: the steps inside it are listed.
     */
    private JsonNode failures(String prefix) {
        List<TaskRecord> failed = new ArrayList<>();
        cards.forEach((id, card) -> {
            synchronized (card) {
                if (id.startsWith(prefix) && card.kind.equals("component")
                        && (card.state == TaskState.FAILED || card.state == TaskState.ERROR)) {
                    failed.add(card.snapshot());
                }
            }
        });
        failed.sort(Comparator.comparing((TaskRecord t) -> t.finishedAt() == null ? Instant.MAX
                        : t.finishedAt().truncatedTo(ChronoUnit.SECONDS))
                .thenComparing(TaskRecord::taskId));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (TaskRecord t : failed) {
            out.addObject()
                    .put("message", t.message() == null ? "" : LogTail.headline(t.message(), text -> text).lines().findFirst().orElse(""))
                    .put("phase", t.state() == TaskState.ERROR ? "Error" : "Failed")
                    .put("step", t.taskId());
        }
        return out;
    }

    private void killOrphans() {
        if (prior == null) {
            return;
        }
        for (TaskRecord t : prior.tasks().values()) {
            for (TaskRecord.Attempt a : t.attempts()) {
                if (a.finishedAt() == null && a.pid() != null) {
                    ProcessTree.killOrphan(a.pid(), a.processStart(), options.killGrace());
                }
            }
        }
    }

    static RunStatus statusOf(TaskState s) {
        return switch (s) {
            case SUCCEEDED, CACHED, SKIPPED, PENDING, RUNNING -> RunStatus.SUCCEEDED;
            case ERROR -> RunStatus.ERROR;
            case CANCELLED -> RunStatus.CANCELLED;
            case FAILED, OMITTED -> RunStatus.FAILED;
        };
    }

    /** The state a body (or a loop, or a pipeline call) ends in: the worst of its nodes'. */
    static TaskState worst(Iterable<TaskState> states) {
        TaskState w = TaskState.SUCCEEDED;
        for (TaskState s : states) {
            if (rank(s) > rank(w)) {
                w = s;
            }
        }
        return w;
    }

    private static int rank(TaskState s) {
        return switch (s) {
            case SUCCEEDED, CACHED, SKIPPED, PENDING, RUNNING -> 0;
            case OMITTED -> 1;
            case FAILED -> 2;
            case ERROR -> 3;
            case CANCELLED -> 4;
        };
    }

    // --- bodies -----------------------------------------------------------------------------------------

    CompletableFuture<TaskState> runBody(List<Ir.Node> body, Scope scope, Phase phase) {
        for (Ir.Node n : body) {
            if (n instanceof Ir.Task t) {
                card(scope, t);
            }
        }
        Map<String, Ir.Node> byId = new LinkedHashMap<>();
        body.forEach(n -> byId.put(n.id(), n));
        Map<String, CompletableFuture<TaskState>> futures = new LinkedHashMap<>();
        for (Ir.Node n : body) {
            futureOf(n, byId, futures, new HashSet<>(), scope, phase);
        }
        List<CompletableFuture<TaskState>> all = List.copyOf(futures.values());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> worst(all.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<TaskState> futureOf(Ir.Node n, Map<String, Ir.Node> byId,
                                                  Map<String, CompletableFuture<TaskState>> futures,
                                                  Set<String> visiting, Scope scope, Phase phase) {
        CompletableFuture<TaskState> existing = futures.get(n.id());
        if (existing != null) {
            return existing;
        }
        if (!visiting.add(n.id())) {
            throw new IllegalStateException("the IR has a dependency cycle through `" + n.id() + "`");
        }
        List<Ir.Node> depNodes = new ArrayList<>();
        List<CompletableFuture<TaskState>> deps = new ArrayList<>();
        for (String d : n.dependsOn()) {
            Ir.Node dep = byId.get(d);
            if (dep != null) {
                depNodes.add(dep);
                deps.add(futureOf(dep, byId, futures, visiting, scope, phase));
            }
        }
        CompletableFuture<TaskState> f = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                .thenCompose(v -> startNode(n, scope, phase, depNodes, deps.stream().map(CompletableFuture::join).toList()))
                .exceptionally(e -> {
                    // a bug in the engine must not hang the run: the node ends in Error with the cause
                    String why = "internal error of the local engine: " + e;
                    markAll(List.of(n), scope, TaskState.ERROR, why);
                    scope.results.put(n.id(), new Scope.NodeResult(TaskState.ERROR, Map.of()));
                    return TaskState.ERROR;
                });
        futures.put(n.id(), f);
        return f;
    }

    private CompletableFuture<TaskState> startNode(Ir.Node n, Scope scope, Phase phase, List<Ir.Node> depNodes,
                                                   List<TaskState> depStates) {
        Scope.NodeResult early = null;
        // a step --only left out is Skipped also in a run cancelled before it: it was never to run
        if (scope == rootScope && phase == mainPhase && selected.isPresent() && !selected.get().contains(n.id())) {
            markAll(List.of(n), scope, TaskState.SKIPPED, "skipped: not asked for (--only "
                    + String.join(", ", new java.util.TreeSet<>(options.only())) + ")");
            early = new Scope.NodeResult(TaskState.SKIPPED, Map.of());
        } else if (phase.cancelled) {
            markAll(List.of(n), scope, TaskState.CANCELLED, phase.stoppedBy + " before it started");
            early = new Scope.NodeResult(TaskState.CANCELLED, Map.of());
        } else {
            for (int i = 0; i < depNodes.size(); i++) {
                if (!depStates.get(i).letsDependentsRun()) {
                    markAll(List.of(n), scope, TaskState.OMITTED,
                            "skipped: " + named(depNodes.get(i)) + " " + depStates.get(i).said());
                    early = new Scope.NodeResult(TaskState.OMITTED, Map.of());
                    break;
                }
            }
        }
        CompletableFuture<Scope.NodeResult> r;
        if (early != null) {
            r = CompletableFuture.completedFuture(early);
        } else if (n instanceof Ir.Task t) {
            r = t.callee() instanceof Ir.PipelineCall ? runCall(t, scope, phase) : new StepRun(this, t, scope, phase).start();
        } else if (n instanceof Ir.Loop l) {
            r = runLoop(l, scope, phase);
        } else {
            r = runCond((Ir.Cond) n, scope, phase);
        }
        return r.thenApply(res -> {
            scope.results.put(n.id(), res);
            return res.state();
        });
    }

    /**
     * The node a skipped task waited for, as its message names it: a step or a call by its id; a loop or an
     * {@code if} by what the user wrote (their ids, {@code for-lr}, are the IR's own), their state being the worst
     * of the steps inside.
     */
    private static String named(Ir.Node n) {
        if (n instanceof Ir.Loop l) {
            return "an iteration of the loop over `" + l.variable() + "`";
        }
        return n instanceof Ir.Cond ? "a step of an `if`" : "`" + n.id() + "`";
    }

    private record Iteration(TaskState state, Scope scope) {
    }

    private CompletableFuture<Scope.NodeResult> runLoop(Ir.Loop l, Scope scope, Phase phase) {
        JsonNode items;
        try {
            items = evaluator.eval(l.items(), scope);
            if (!items.isArray()) {
                throw new Evaluator.EvalError("expected a list, got " + Values.describe(items));
            }
        } catch (Evaluator.EvalError e) {
            markAll(l.body(), scope.unexpanded(l.id()), TaskState.ERROR,
                    "the items of the loop over `" + l.variable() + "` could not be computed: " + e.getMessage());
            return CompletableFuture.completedFuture(new Scope.NodeResult(TaskState.ERROR, Map.of()));
        }
        int n = items.size();
        if (n == 0) {
            markAll(l.body(), scope.unexpanded(l.id()), TaskState.SKIPPED,
                    "skipped: the loop over `" + l.variable() + "` had no items");
            Map<String, JsonNode> exports = new LinkedHashMap<>();
            l.exports().forEach(x -> exports.put(x.name(), Values.NODES.arrayNode()));
            return CompletableFuture.completedFuture(new Scope.NodeResult(TaskState.SUCCEEDED, exports));
        }
        int limit = l.parallelism() <= 0 ? n : l.parallelism();
        return fanOut(n, limit, i -> {
            JsonNode item = Values.loopItem(items.get(i));
            Scope it = scope.iteration(l.id(), i, item, Values.holdsArtifacts(item) ? null : LoopItem.of(l.variable(), item));
            return runBody(l.body(), it, phase).thenApply(s -> new Iteration(s, it));
        }).thenApply(iterations -> {
            TaskState state = worst(iterations.stream().map(Iteration::state).toList());
            Map<String, JsonNode> exports = new LinkedHashMap<>();
            for (Ir.Export x : l.exports()) {
                var list = Values.NODES.arrayNode();
                for (Iteration it : iterations) {
                    list.add(it.state().letsDependentsRun() ? exportValue(x, it.scope()) : NullNode.getInstance());
                }
                exports.put(x.name(), list);
            }
            return new Scope.NodeResult(state, exports);
        });
    }

    private JsonNode exportValue(Ir.Export x, Scope scope) {
        try {
            return evaluator.evalOrNull(x.value(), scope);
        } catch (Evaluator.EvalError e) {
            runProblems.add("export `" + x.name() + "`: " + e.getMessage());
            return NullNode.getInstance();
        }
    }

    private CompletableFuture<Scope.NodeResult> runCond(Ir.Cond c, Scope scope, Phase phase) {
        Scope child = scope.child();
        List<List<Ir.Node>> bodies = new ArrayList<>();
        c.branches().forEach(b -> bodies.add(b.body()));
        bodies.add(c.elseBody());
        int taken = -1;
        for (int i = 0; i < c.branches().size() && taken < 0; i++) {
            try {
                JsonNode v = evaluator.eval(c.branches().get(i).condition(), scope);
                if (!v.isBoolean()) {
                    throw new Evaluator.EvalError("a condition must be a Bool, got " + Values.describe(v));
                }
                if (v.booleanValue()) {
                    taken = i;
                }
            } catch (Evaluator.EvalError e) {
                bodies.forEach(b -> markAll(b, child, TaskState.ERROR, "the condition could not be computed: " + e.getMessage()));
                return CompletableFuture.completedFuture(new Scope.NodeResult(TaskState.ERROR, Map.of()));
            }
        }
        if (taken < 0 && !c.elseBody().isEmpty()) {
            taken = bodies.size() - 1;
        }
        for (int j = 0; j < bodies.size(); j++) {
            if (j != taken) {
                // the conditions before the branch taken were false; those after it were not asked
                markAll(bodies.get(j), child, TaskState.SKIPPED, taken < 0 || j < taken
                        ? "skipped: its condition was false" : "skipped: an earlier branch of the `if` was taken");
                registerSkipped(bodies.get(j), child);
            }
        }
        if (taken < 0) {
            Map<String, JsonNode> exports = new LinkedHashMap<>();
            c.exports().forEach(x -> exports.put(x.name(), NullNode.getInstance()));
            return CompletableFuture.completedFuture(new Scope.NodeResult(TaskState.SUCCEEDED, exports));
        }
        return runBody(bodies.get(taken), child, phase).thenApply(state -> {
            Map<String, JsonNode> exports = new LinkedHashMap<>();
            for (Ir.Export x : c.exports()) {
                exports.put(x.name(), state.letsDependentsRun() ? exportValue(x, child) : NullNode.getInstance());
            }
            return new Scope.NodeResult(state, exports);
        });
    }

    private static void registerSkipped(List<Ir.Node> body, Scope scope) {
        for (Ir.Node n : body) {
            scope.results.put(n.id(), new Scope.NodeResult(TaskState.SKIPPED, Map.of()));
            if (n instanceof Ir.Loop l) {
                registerSkipped(l.body(), scope);
            } else if (n instanceof Ir.Cond c) {
                c.branches().forEach(b -> registerSkipped(b.body(), scope));
                registerSkipped(c.elseBody(), scope);
            }
        }
    }

    /** A call of a pipeline: runs its DAG (and its exit handler) with the inputs as parameters. */
    private CompletableFuture<Scope.NodeResult> runCall(Ir.Task t, Scope scope, Phase phase) {
        String taskId = scope.taskId(t.id());
        TaskCard card = card(scope, t);
        String name = ((Ir.PipelineCall) t.callee()).name();
        Ir.Dag dag = program.pipelines() == null ? null : program.pipelines().get(name);
        if (dag == null) {
            return done(card, TaskState.ERROR, "the program has no pipeline `" + name + "`");
        }
        SortedMap<String, JsonNode> params = new TreeMap<>();
        for (Ir.Param p : dag.params()) {
            Ir.Expr e = t.inputs().get(p.name());
            try {
                JsonNode v = e != null ? evaluator.eval(e, scope)
                        : p.defaultValue() != null ? p.defaultValue() : NullNode.getInstance();
                params.put(p.name(), Values.coerce(v, p.type(), program));
            } catch (Evaluator.EvalError | Values.BadValue x) {
                return done(card, TaskState.ERROR, "input `" + p.name() + "`: " + x.getMessage());
            }
        }
        synchronized (card) {
            card.inputs = params;
        }
        Scope sub = scope.called(params, taskId + "/");
        // its mutexes are held while its body runs, not its exit handler: on Argo they are its template's, and the
        // handler is a hook of the calling task, outside that template's node
        CompletableFuture<TaskState> body = Mutexes.holding(options.home(), dag.mutexes(), "pipeline `" + taskId
                + "` of run " + runId, phase, busy -> {
                    synchronized (card) {
                        card.message = "waiting for " + busy;
                        publishNews(card);
                    }
                }, () -> {
                    synchronized (card) {
                        card.startedAt = Instant.now();
                        update(card, TaskState.RUNNING, null);
                    }
                    return runBody(dag.body(), sub, phase);
                }, n -> {
                    synchronized (card) {
                        card.finishedAt = Instant.now();
                        update(card, n.state(), n.message());
                    }
                    // what the call would have run ends as the call did, and no exit handler runs: nothing started
                    markAll(dag.body(), sub, n.state(), n.state() == TaskState.CANCELLED
                            ? phase.stoppedBy + " before it started" : n.message());
                    return CompletableFuture.completedFuture(null);
                });
        return body.thenCompose(state -> state == null ? CompletableFuture.completedFuture(null)
                : dag.exitHandler().isEmpty() ? CompletableFuture.completedFuture(state)
                        : runBody(dag.exitHandler(), sub.exitHandler(statusOf(state).runStatusText(), failures(taskId + "/")),
                                phase)
                                .thenApply(exit -> worst(List.of(state, exit))))
                .thenApply(state -> {
                    if (state == null) {
                        return new Scope.NodeResult(card.state, Map.of());
                    }
                    Map<String, JsonNode> outputs = new LinkedHashMap<>();
                    String message = null;
                    if (state.letsDependentsRun()) {
                        for (Ir.PipelineOutput o : dag.outputs()) {
                            try {
                                outputs.put(o.name(), evaluator.eval(o.value(), sub));
                            } catch (Evaluator.EvalError e) {
                                state = TaskState.ERROR;
                                message = "output `" + o.name() + "`: " + e.getMessage();
                            }
                        }
                    } else {
                        message = failedInside(taskId + "/");
                    }
                    synchronized (card) {
                        card.outputs = new TreeMap<>(outputs);
                        card.finishedAt = Instant.now();
                        update(card, state, message);
                    }
                    return new Scope.NodeResult(state, outputs);
                });
    }

    private String failedInside(String prefix) {
        List<String> bad = new ArrayList<>();
        cards.forEach((id, c) -> {
            if (id.startsWith(prefix) && (c.state == TaskState.FAILED || c.state == TaskState.ERROR
                    || c.state == TaskState.CANCELLED)) {
                bad.add("`" + id + "` " + c.state.said());
            }
        });
        Collections.sort(bad);
        return bad.isEmpty() ? "a task of the pipeline did not succeed" : String.join(", ", bad);
    }

    /**
     * Starts {@code start(i)} for i in [0, n), at most {@code limit} unfinished at once; the list of
     * results is in index order, whatever order they finished in.
     */
    static <T> CompletableFuture<List<T>> fanOut(int n, int limit, IntFunction<CompletableFuture<T>> start) {
        CompletableFuture<List<T>> done = new CompletableFuture<>();
        Object[] results = new Object[n];
        AtomicInteger remaining = new AtomicInteger(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger wip = new AtomicInteger();
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            // a drain loop: completions that arrive while pumping (even on this thread) only ask for another pass
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                while (inFlight.get() < limit && next.get() < n) {
                    int i = next.getAndIncrement();
                    inFlight.incrementAndGet();
                    CompletableFuture<T> f;
                    try {
                        f = start.apply(i);
                    } catch (RuntimeException e) {
                        f = CompletableFuture.failedFuture(e);
                    }
                    f.whenComplete((r, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e);
                            return;
                        }
                        results[i] = r;
                        inFlight.decrementAndGet();
                        if (remaining.decrementAndGet() == 0) {
                            @SuppressWarnings("unchecked")
                            List<T> list = (List<T>) List.of(results);
                            done.complete(list);
                        } else {
                            pump[0].run();
                        }
                    });
                }
            } while (wip.decrementAndGet() != 0);
        };
        pump[0].run();
        return done;
    }

    /** Completes after {@code delay}, or at once when the phase is cancelled. */
    CompletableFuture<Void> delay(Duration delay, Phase phase) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS).execute(() -> f.complete(null));
        phase.signal.thenRun(() -> f.complete(null));
        return f;
    }

    // --- records ----------------------------------------------------------------------------------------

    /** The card of task {@code t} where {@code scope} runs it (made, and published, the first time). */
    TaskCard card(Scope scope, Ir.Task t) {
        return cards.computeIfAbsent(scope.taskId(t.id()), id -> {
            TaskCard c;
            if (t.callee() instanceof Ir.ComponentCall cc) {
                Ir.Component comp = program.components().get(cc.digest());
                c = new TaskCard(runId, id, t.id(), "component", cc.name(), cc.digest(), comp == null ? null : comp.image(),
                        scope.items);
            } else {
                c = new TaskCard(runId, id, t.id(), "pipeline", ((Ir.PipelineCall) t.callee()).name(), null, null,
                        scope.items);
            }
            publish(c, null);
            return c;
        });
    }

    /** Changes a card's state and message and publishes it; the caller holds the card's lock. */
    void update(TaskCard card, TaskState state, String message) {
        TaskState before = card.state;
        card.state = state;
        card.message = message;
        if (state.isTerminal() && card.finishedAt == null) {
            card.finishedAt = Instant.now();
        }
        publish(card, before);
    }

    /** Publishes the card as it is now; the caller holds the card's lock (or owns a new card). */
    void publish(TaskCard card, TaskState before) {
        TaskRecord snapshot = card.snapshot();
        guard(() -> recorder.taskChanged(snapshot));
        if (before != card.state) {
            Duration elapsed = card.startedAt == null ? Duration.ZERO
                    : Duration.between(card.startedAt, card.finishedAt != null ? card.finishedAt : Instant.now());
            options.progress().onEvent(new ProgressListener.TaskChanged(runId, card.taskId, before, card.state,
                    card.attempts.size(), elapsed, card.message, card.items));
        }
    }

    /**
     * Publishes news of a task whose state stays, told by its message (a failed attempt that will be
     * retried): the progress view gets it as a change from the state to itself, since a user waiting
     * out a backoff otherwise sees a step that is simply still running. The caller holds the card's lock.
     */
    void publishNews(TaskCard card) {
        TaskRecord snapshot = card.snapshot();
        guard(() -> recorder.taskChanged(snapshot));
        options.progress().onEvent(new ProgressListener.TaskChanged(runId, card.taskId, card.state, card.state,
                card.attempts.size(), Duration.ZERO, card.message, card.items));
    }

    private CompletableFuture<Scope.NodeResult> done(TaskCard card, TaskState state, String message) {
        synchronized (card) {
            update(card, state, message);
        }
        return CompletableFuture.completedFuture(new Scope.NodeResult(state, Map.of()));
    }

    /** Records every task in {@code nodes} (and in their nested bodies) as {@code state}: they will not run. */
    void markAll(List<Ir.Node> nodes, Scope scope, TaskState state, String message) {
        for (Ir.Node n : nodes) {
            if (n instanceof Ir.Task t) {
                TaskCard card = card(scope, t);
                synchronized (card) {
                    if (!card.state.isTerminal()) {
                        update(card, state, message);
                    }
                }
            } else if (n instanceof Ir.Loop l) {
                markAll(l.body(), scope.unexpanded(l.id()), state, message);
            } else if (n instanceof Ir.Cond c) {
                Scope child = scope.child();
                c.branches().forEach(b -> markAll(b.body(), child, state, message));
                markAll(c.elseBody(), child, state, message);
            }
        }
    }

    /** Returns once what was recorded so far is in the store (a failure is kept like any other). */
    void recordNow() {
        guard(recorder::flush);
    }

    private void guard(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            // a failing store must not hang or crash the run; the outcome reports it
            if (recorderFailure == null) {
                recorderFailure = e;
            }
        }
    }
}
