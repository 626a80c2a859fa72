package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.ArgoError.Kind;
import dev.freestone.runtime.argo.TaskNodes.TaskView;
import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The Argo backend: what the CLI's {@code submit}, {@code watch}, {@code logs}, {@code stop},
 * {@code terminate}, {@code retry}, {@code resubmit}, {@code schedule}, {@code schedules} and {@code publish} call.
 * Runs are named by their run store id; the store's remote reference says which Workflow carries
 * them. Failures are {@link ArgoException}s holding an {@link ArgoError} for the user.
 */
public final class ArgoBackend implements AutoCloseable {
    private final ArgoApi api;
    private final RunStore store;
    private final Clock clock;
    private final FollowSettings settings;

    ArgoBackend(ArgoApi api, RunStore store, Clock clock, FollowSettings settings) {
        this.api = Objects.requireNonNull(api, "api");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Connects to the target. Nothing is sent yet; a wrong kubeconfig context fails here, an
     * unreachable cluster at the first call. {@code warnings} receives lines for the user's
     * terminal (e.g. that TLS verification is off).
     */
    public static ArgoBackend connect(ArgoTarget target, RunStore store, Consumer<String> warnings) {
        return new ArgoBackend(open(target, warnings), store, Clock.systemUTC(), FollowSettings.DEFAULT);
    }

    private static ArgoApi open(ArgoTarget target, Consumer<String> warnings) {
        if (target instanceof ArgoTarget.ArgoServer server) {
            if (server.insecure()) {
                warnings.accept("warning: TLS verification for the Argo Server at " + server.baseUrl()
                        + " is off (--insecure): anyone on the network path can read the token and change what"
                        + " is submitted");
            }
            if (server.token().isPresent() && "http".equals(server.baseUrl().getScheme()) && !loopback(server.baseUrl())) {
                warnings.accept("warning: the " + server.token().get().source() + " goes to the Argo Server at "
                        + server.baseUrl() + " in clear text (http://): anyone on the network path can read it and act"
                        + " as you; use https://");
            }
            return new ArgoServerApi(server);
        }
        ArgoTarget.Kubernetes kubernetes = (ArgoTarget.Kubernetes) target;
        Optional<ArgoApi> server = kubernetes.argoServer().map(s -> open(s, warnings));
        return KubernetesApi.connect(kubernetes, server);
    }

    /**
     * Event kind of a run whose Workflow repeats each {@code Metrics} output as an output parameter, so that the
     * mirror records its metrics; a run submitted before Freestone did has none (its metrics stay in the
     * artifact repository).
     */
    static final String METRICS_EVENT = "argo.metrics";
    private static final String METRICS_SAID = "metrics are read from the Workflow's output parameters";

    /** Whether the mirror records the metrics of this Argo run (see {@link #METRICS_EVENT}). */
    public static boolean readsMetrics(RunStore store, String runId) {
        return store.events(runId).stream().anyMatch(e -> e.kind().equals(METRICS_EVENT));
    }

    /** An IPv4 loopback address, written as one: {@code 127.0.0.1.example.com} is a name, of any machine. */
    private static final java.util.regex.Pattern LOOPBACK_V4 = java.util.regex.Pattern.compile("127(\\.[0-9]{1,3}){3}");

    /** A server on this machine (a port-forward, the usual way to reach Argo without TLS): nothing crosses a network. */
    private static boolean loopback(java.net.URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
        return host.equals("localhost") || LOOPBACK_V4.matcher(host).matches() || host.equals("[::1]") || host.equals("::1");
    }

    /** The namespace used when a manifest does not name one. */
    public String namespace() {
        return api.namespace();
    }

    // ---- submit -----------------------------------------------------------------------------------

    /**
     * Creates the WorkflowTemplates (an identical existing one is reused), then the Workflow, and
     * records a {@code Pending} run (backend {@code argo}) with its remote reference.
     */
    public Submitted submit(SubmitRequest request) {
        ObjectNode workflow = request.workflow().deepCopy();
        requireKind(workflow, ArgoKind.Workflow);
        String ns = namespaceOf(workflow);
        stamp(workflow, request.pipeline(), request.irHash());
        List<RemoteRef> templates = new ArrayList<>();
        for (ObjectNode t : request.templates()) {
            ObjectNode template = t.deepCopy();
            requireKind(template, ArgoKind.WorkflowTemplate);
            stamp(template, request.pipeline(), request.irHash());
            templates.add(ensure(ArgoKind.WorkflowTemplate, template, false));
        }
        ((ObjectNode) workflow.get("metadata")).put("namespace", ns);
        ObjectNode created = WorkflowCreate.once(api, ns, workflow);
        RemoteRef ref = new RemoteRef(ns, ArgoJson.name(created));
        RunRecord run = store.createRun(new NewRun(request.pipeline(), request.irHash(), request.sourcePath(),
                request.sourceDigest(), request.gitCommit(), request.paramsJson(), Backend.Argo, Optional.of(ref)));
        RunMirror mirror = new RunMirror(store, run, clock, e -> { });
        mirror.note("run.submitted", "submitted as Workflow " + ref + " (" + api.credential() + ")");
        mirror.note(METRICS_EVENT, METRICS_SAID);
        mirror.apply(created, NodeStatuses.of(created), pod -> Optional.empty());
        return new Submitted(run.id(), ref, templates);
    }

    // ---- watch ------------------------------------------------------------------------------------

    /**
     * Follows the run's Workflow, mirroring it into the store, until it finishes, is deleted (the
     * store keeps its last known state and says so) or {@code maxWait} passes. {@code events}
     * receives each event as it is recorded (for a live view).
     */
    public FollowResult watch(String runId, Optional<Duration> maxWait, Consumer<EventRecord> events)
            throws InterruptedException {
        RunRecord run = RunMirror.requireRun(store, runId);
        RemoteRef ref = remoteOf(run);
        RunMirror mirror = new RunMirror(store, run, clock, events);
        WorkflowFollower follower = new WorkflowFollower(api, mirror, ref, clock, settings);
        WorkflowFollower.Outcome outcome = follower.follow(maxWait.map(d -> clock.instant().plus(d)));
        RunRecord now = RunMirror.requireRun(store, run.id());
        return new FollowResult(run.id(), ref, now.status(), now.message(),
                outcome == WorkflowFollower.Outcome.DELETED, outcome == WorkflowFollower.Outcome.TIMED_OUT);
    }

    // ---- logs -------------------------------------------------------------------------------------

    /**
     * Writes the log of one task's attempt ({@code attempt} empty: the last) line by line, with {@code tail} its last
     * lines only. The pod is found in the live Workflow, else in the attempts the store recorded.
     */
    public void logs(String runId, String taskId, OptionalInt attempt, boolean follow, OptionalInt tail,
                     Consumer<String> lines) {
        RunRecord run = RunMirror.requireRun(store, runId);
        RemoteRef ref = remoteOf(run);
        List<String> pods = new ArrayList<>();
        Optional<ObjectNode> workflow = api.get(ArgoKind.Workflow, ref.namespace(), ref.name());
        List<String> known = new ArrayList<>();
        if (workflow.isPresent()) {
            ObjectNode wf = workflow.get();
            NodeStatuses nodes = NodeStatuses.of(wf);
            if (nodes instanceof NodeStatuses.Offloaded) {
                Optional<ObjectNode> hydrated = api.hydrated(ref.namespace(), ref.name());
                if (hydrated.isPresent()) {
                    wf = hydrated.get();
                    nodes = NodeStatuses.of(wf);
                }
            }
            if (nodes instanceof NodeStatuses.Present present) {
                for (TaskView v : TaskNodes.of(wf, present.nodes())) {
                    known.add(v.taskId());
                    if (v.taskId().equals(taskId)) {
                        v.attempts().forEach(a -> pods.add(a.podName()));
                    }
                }
            }
        }
        if (pods.isEmpty()) {
            for (AttemptRecord a : store.attempts(runId, taskId)) {
                a.logPath().ifPresent(pods::add);
            }
        }
        if (pods.isEmpty()) {
            store.tasks(runId).forEach(t -> known.add(t.taskId()));
            String list = String.join(", ", known.stream().distinct().sorted().limit(12).toList());
            throw new ArgoException(Kind.NotFound, "task `" + taskId + "` of run " + runId + " has no pod"
                    + (workflow.isEmpty() ? " on record, and its Workflow " + ref + " no longer exists" : " (yet)"),
                    list.isEmpty() ? "it may not have started; see `freestone show " + runId + "`"
                            : "the run's tasks are: " + list);
        }
        int index = attempt.isPresent() ? attempt.getAsInt() - 1 : pods.size() - 1;
        if (index < 0 || index >= pods.size()) {
            // worded as for a local run (freestone logs): the same mistake reads the same on either backend
            throw new ArgoException(Kind.NotFound, "task `" + taskId + "` of run " + runId + " has no attempt "
                    + attempt.getAsInt(), "its attempts are " + java.util.stream.IntStream.rangeClosed(1, pods.size())
                    .mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + "; without --attempt the last one is shown");
        }
        api.logs(ref.namespace(), ref.name(), pods.get(index), follow, tail, lines);
    }

    // ---- stop, terminate, retry, resubmit -----------------------------------------------------------

    /** Stops the run: running steps are stopped, exit handlers still run. */
    public void stop(String runId, Optional<String> message) {
        RemoteRef ref = remoteOf(RunMirror.requireRun(store, runId));
        api.shutdown(ref.namespace(), ref.name(), ArgoApi.Shutdown.Stop, message);
        store.appendEvent(runId, Optional.empty(), "run.stop", "stop requested" + message.map(m -> ": " + m).orElse(""));
    }

    /** Terminates the run: everything stops, exit handlers do not run. */
    public void terminate(String runId) {
        RemoteRef ref = remoteOf(RunMirror.requireRun(store, runId));
        api.shutdown(ref.namespace(), ref.name(), ArgoApi.Shutdown.Terminate, Optional.empty());
        store.appendEvent(runId, Optional.empty(), "run.terminate", "terminate requested");
    }

    /**
     * Retries a failed run in place (same run, same Workflow): its failed nodes run again. Needs
     * the Argo Server.
     */
    public void retry(String runId, boolean restartSuccessful) {
        RunRecord run = RunMirror.requireRun(store, runId);
        RemoteRef ref = remoteOf(run);
        ObjectNode retried = api.retry(ref.namespace(), ref.name(), restartSuccessful, Optional.empty());
        RunMirror mirror = new RunMirror(store, run, clock, e -> { });
        mirror.note("run.retry", "retried Workflow " + ref + (restartSuccessful ? " (succeeded steps too)" : ""));
        store.updateRunStatus(runId, RunStatus.Running, Optional.empty());
        mirror = new RunMirror(store, RunMirror.requireRun(store, runId), clock, e -> { });
        mirror.apply(retried, NodeStatuses.of(retried), pod -> Optional.empty());
    }

    /**
     * Starts the run again as a new Workflow and a new run in the store; {@code memoized} reuses
     * the outputs of steps that succeeded (needs the Argo Server).
     */
    public Submitted resubmit(String runId, boolean memoized) {
        RunRecord old = RunMirror.requireRun(store, runId);
        RemoteRef ref = remoteOf(old);
        ObjectNode created = api.resubmit(ref.namespace(), ref.name(), memoized);
        RemoteRef fresh = new RemoteRef(ArgoJson.text(created, "metadata", "namespace").orElse(ref.namespace()),
                ArgoJson.name(created));
        RunRecord run = store.createRun(new NewRun(old.pipeline(), old.version(), old.sourcePath(), old.sourceDigest(),
                old.gitCommit(), old.paramsJson(), Backend.Argo, Optional.of(fresh)));
        store.appendEvent(old.id(), Optional.empty(), "run.resubmit", "resubmitted as run " + run.id() + " (" + fresh + ")");
        // Argo's resubmit keeps the Workflow's labels; the store files the new run under the old one's
        store.addLabels(run.id(), store.labels(old.id()));
        RunMirror mirror = new RunMirror(store, run, clock, e -> { });
        mirror.note("run.submitted", "resubmitted from run " + old.id() + " (" + ref + ")"
                + (memoized ? " reusing succeeded steps" : ""));
        if (readsMetrics(store, old.id())) {
            // Argo runs the old Workflow's templates again: they carry metrics if the old run's did
            mirror.note(METRICS_EVENT, METRICS_SAID);
        }
        mirror.apply(created, NodeStatuses.of(created), pod -> Optional.empty());
        return new Submitted(run.id(), fresh, List.of());
    }

    // ---- schedule, publish -------------------------------------------------------------------------

    /**
     * Creates a CronWorkflow (and the WorkflowTemplates it references); {@code replace} updates
     * existing ones instead of failing with a conflict.
     */
    public RemoteRef schedule(ObjectNode cronWorkflow, List<ObjectNode> templates, boolean replace) {
        publish(templates, replace);
        ObjectNode cron = cronWorkflow.deepCopy();
        requireKind(cron, ArgoKind.CronWorkflow);
        return ensure(ArgoKind.CronWorkflow, cron, replace);
    }

    /**
     * Creates WorkflowTemplates; an identical existing one is left alone, a different one is a
     * conflict unless {@code replace}.
     */
    public List<RemoteRef> publish(List<ObjectNode> templates, boolean replace) {
        List<RemoteRef> out = new ArrayList<>();
        for (ObjectNode t : templates) {
            ObjectNode template = t.deepCopy();
            requireKind(template, ArgoKind.WorkflowTemplate);
            out.add(ensure(ArgoKind.WorkflowTemplate, template, replace));
        }
        return out;
    }

    // ---- schedules ------------------------------------------------------------------------------------

    /**
     * The label the lowering puts on every object it makes (the pipeline's name as a DNS label): how
     * Freestone's CronWorkflows are told from the others of the namespace, which {@code schedules} leaves out.
     */
    public static final String PIPELINE_LABEL = "freestone.dev/pipeline";

    /** Freestone's CronWorkflows in the namespace, by name. */
    public List<Schedule> schedules() {
        String ns = api.namespace();
        List<Schedule> out = new ArrayList<>();
        for (ObjectNode cron : api.list(ArgoKind.CronWorkflow, ns, PIPELINE_LABEL)) {
            out.add(Schedule.of(cron, ns));
        }
        out.sort(java.util.Comparator.comparing(Schedule::name));
        return out;
    }

    /** Suspends the schedule (no new runs; running ones go on) or resumes it, as {@code argo cron suspend|resume}. */
    public RemoteRef suspend(String name, boolean suspend) {
        String ns = api.namespace();
        if (!api.suspendCron(ns, name, suspend)) {
            throw noSchedule(ns, name);
        }
        return new RemoteRef(ns, name);
    }

    /** Deletes the schedule's CronWorkflow (runs it already started are left alone), as {@code argo cron delete}. */
    public RemoteRef unschedule(String name) {
        String ns = api.namespace();
        if (!api.delete(ArgoKind.CronWorkflow, ns, name)) {
            throw noSchedule(ns, name);
        }
        return new RemoteRef(ns, name);
    }

    /** A schedule that is not there, with those that are (a misspelt name is the usual cause). */
    private ArgoException noSchedule(String ns, String name) {
        List<String> names;
        try {
            names = schedules().stream().map(Schedule::name).toList();
        } catch (ArgoException e) {
            // a role that may change a schedule but not list them: the schedule is still not there
            return new ArgoException(Kind.NotFound, "no schedule `" + name + "` in namespace " + ns,
                    "check the name (this credential may not list the schedules to suggest one: " + e.error().message() + ")");
        }
        String there = "the schedules in namespace " + ns + " are: " + String.join(", ", names);
        return new ArgoException(Kind.NotFound, "no schedule `" + name + "` in namespace " + ns,
                names.isEmpty() ? "namespace " + ns + " has no schedules made by Freestone; another namespace's are"
                        + " listed by `freestone schedules -n NS`"
                        : dev.freestone.diag.DidYouMean.closest(name, names).map(c -> "did you mean `" + c + "`? ")
                                .orElse("") + there);
    }

    @Override
    public void close() {
        api.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Creates, or accepts an identical existing object, or replaces a different one when asked. */
    private RemoteRef ensure(ArgoKind kind, ObjectNode manifest, boolean replace) {
        String ns = namespaceOf(manifest);
        ((ObjectNode) manifest.get("metadata")).put("namespace", ns);
        String name = ArgoJson.name(manifest);
        try {
            ObjectNode created = api.create(kind, ns, manifest);
            return new RemoteRef(ns, ArgoJson.name(created));
        } catch (ArgoException e) {
            if (e.error().kind() != Kind.Conflict || name.isEmpty()) {
                throw e;
            }
            Optional<ObjectNode> existing = api.get(kind, ns, name);
            if (existing.isEmpty()) {
                throw e;
            }
            if (ownSpec(kind, existing.get()).equals(ownSpec(kind, manifest))) {
                return new RemoteRef(ns, name);
            }
            if (!replace) {
                throw new ArgoException(Kind.Conflict, kind + " " + ns + "/" + name
                        + " already exists with a different spec",
                        "publish with --replace to update it, or delete it first");
            }
            ObjectNode update = manifest.deepCopy();
            ((ObjectNode) update.get("metadata")).put("resourceVersion",
                    ArgoJson.text(existing.get(), "metadata", "resourceVersion").orElse(""));
            if (kind == ArgoKind.CronWorkflow && existing.get().path("spec").path("suspend").asBoolean(false)
                    && update.get("spec") instanceof ObjectNode spec) {
                spec.put("suspend", true); // a new version of a suspended schedule stays suspended until resumed
            }
            api.replace(kind, ns, update);
            return new RemoteRef(ns, name);
        }
    }

    /**
     * The spec as the file makes it: a CronWorkflow's {@code suspend} is set by {@code schedules --suspend},
     * not by the file, so scheduling the same file again on a suspended schedule is no conflict.
     */
    private static JsonNode ownSpec(ArgoKind kind, JsonNode object) {
        JsonNode spec = object.path("spec");
        if (kind != ArgoKind.CronWorkflow || !(spec instanceof ObjectNode o)) {
            return spec;
        }
        ObjectNode copy = o.deepCopy();
        copy.remove("suspend");
        return copy;
    }

    private String namespaceOf(ObjectNode manifest) {
        if (!(manifest.get("metadata") instanceof ObjectNode)) {
            manifest.putObject("metadata");
        }
        return ArgoJson.text(manifest, "metadata", "namespace").orElse(api.namespace());
    }

    private static void requireKind(JsonNode manifest, ArgoKind kind) {
        String apiVersion = manifest.path("apiVersion").asText("");
        String actual = manifest.path("kind").asText("");
        if (!kind.name().equals(actual) || !ArgoKind.API_VERSION.equals(apiVersion)) {
            throw new IllegalArgumentException("expected a " + ArgoKind.API_VERSION + " " + kind + ", got "
                    + apiVersion + " " + actual);
        }
    }

    /** Pipeline name and IR hash on every manifest; a different hash already there is a caller bug. */
    private static void stamp(ObjectNode manifest, String pipeline, String irHash) {
        ObjectNode meta = manifest.get("metadata") instanceof ObjectNode m ? m : manifest.putObject("metadata");
        ObjectNode annotations = meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
        String there = annotations.path(SubmitRequest.IR_HASH).asText("");
        if (!there.isEmpty() && !there.equals(irHash)) {
            throw new IllegalArgumentException("the manifest was lowered from IR " + there + ", not " + irHash);
        }
        annotations.put(SubmitRequest.IR_HASH, irHash);
        if (!annotations.has(SubmitRequest.PIPELINE)) {
            annotations.put(SubmitRequest.PIPELINE, pipeline);
        }
    }

    private static RemoteRef remoteOf(RunRecord run) {
        if (run.backend() != Backend.Argo || run.remote().isEmpty()) {
            throw new ArgoException(Kind.Unsupported, "run " + run.id() + " ran " + (run.backend() == Backend.Argo
                    ? "on Argo but has no Workflow on record" : "locally, not on Argo"),
                    "use the local commands for local runs (`freestone show " + run.id() + "`)");
        }
        return run.remote().get();
    }
}
