package dev.freestone.runtime.argo;

import static dev.freestone.runtime.argo.ArgoFixtures.IR_HASH;
import static dev.freestone.runtime.argo.ArgoFixtures.await;
import static dev.freestone.runtime.argo.ArgoFixtures.manifest;
import static dev.freestone.runtime.argo.ArgoFixtures.status;
import static dev.freestone.runtime.argo.ArgoFixtures.tasks;
import static dev.freestone.runtime.argo.ArgoFixtures.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import dev.freestone.testing.MockArgoCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend against fabric8's mock Kubernetes API in CRUD mode. A simulated controller (this
 * test) moves Workflows through Argo's real status payloads; the dispatcher can break watches
 * (a dropped stream, {@code 410 Gone}) and answer like a cluster without Argo or with bad credentials.
 */
class KubernetesArgoBackendTest {
    private static final String TOKEN = "k8s-bearer-9f8e7d6c5b4a3921";
    private static final String NS = "argo";
    private static final String CREDENTIAL = "kubeconfig context `test` (user `alice`)";
    private static final ResourceDefinitionContext WORKFLOWS = MockArgoCluster.WORKFLOWS;

    @TempDir
    Path home;
    private MockArgoCluster.Dispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private RunStore store;
    private ArgoBackend backend;
    private final List<EventRecord> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        dispatcher = new MockArgoCluster.Dispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        KubernetesClient plain = server.createClient();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withOauthToken(TOKEN).withNamespace(NS).withRequestRetryBackoffLimit(0)
                .withWatchReconnectInterval(50).build()).build();
        plain.close();
        store = RunStore.open(home);
        backend = backendFor(client);
    }

    private ArgoBackend backendFor(KubernetesClient c) {
        KubernetesApi api = new KubernetesApi(c, NS, CREDENTIAL, Secrets.of(TOKEN), Optional.empty());
        return new ArgoBackend(api, store, Clock.systemUTC(),
                new FollowSettings(Duration.ZERO, Duration.ofSeconds(2), Duration.ofMillis(20)));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        store.close();
        server.destroy();
    }

    // ---- the simulated controller -----------------------------------------------------------------

    private void controllerSets(String name, ObjectNode status) {
        var wf = client.genericKubernetesResources(WORKFLOWS).inNamespace(NS).withName(name);
        GenericKubernetesResource r = wf.get();
        @SuppressWarnings("unchecked")
        Map<String, Object> value = ArgoJson.MAPPER.convertValue(status, Map.class);
        r.setAdditionalProperty("status", value);
        client.genericKubernetesResources(WORKFLOWS).inNamespace(NS).resource(r).update();
    }

    private void controllerDeletes(String name) {
        client.genericKubernetesResources(WORKFLOWS).inNamespace(NS).withName(name).delete();
    }

    private CompletableFuture<FollowResult> follow(String runId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return backend.watch(runId, Optional.of(Duration.ofSeconds(20)), seen::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Submitted submit(ObjectNode fixture) {
        return backend.submit(SubmitRequest.of("demo", IR_HASH, manifest(fixture), List.of()));
    }

    private Submitted submitMinimal(String name) {
        return backend.submit(SubmitRequest.of("demo", IR_HASH, ArgoFixtures.minimalWorkflow(name), List.of()));
    }

    private RunRecord run(String id) {
        return RunMirror.requireRun(store, id);
    }

    // ---- following Argo's real status shapes --------------------------------------------------------

    @Test
    void submitRecordsAPendingArgoRunAndStampsTheManifest() {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        RunRecord run = run(s.runId());
        assertEquals(Backend.Argo, run.backend());
        assertEquals(Optional.of(new RemoteRef(NS, "dag-diamond-82q7s")), run.remote());
        assertEquals(RunStatus.Pending, run.status());
        assertEquals(IR_HASH, run.version());
        GenericKubernetesResource created = client.genericKubernetesResources(WORKFLOWS).inNamespace(NS)
                .withName("dag-diamond-82q7s").get();
        assertEquals(IR_HASH, created.getMetadata().getAnnotations().get(SubmitRequest.IR_HASH));
        assertEquals("demo", created.getMetadata().getAnnotations().get(SubmitRequest.PIPELINE));
        assertTrue(store.events(s.runId()).get(0).message().contains(CREDENTIAL));
    }

    @Test
    void runningWithSkippedBranchThenSucceeded() throws Exception {
        ObjectNode fixture = workflow("running-dag-skipped.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        ObjectNode running = status(fixture);
        controllerSets("dag-primay-branch-sd6rg", running);
        await("the run is Running with C running", () -> run(s.runId()).status() == RunStatus.Running
                && tasks(store, s.runId()).size() == 3);
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals(TaskState.Succeeded, t.get("A").state());
        assertEquals(Optional.of(0), t.get("A").exitCode());
        assertEquals(TaskState.Skipped, t.get("B").state());
        assertEquals(Optional.of("skipped: its condition was false"), t.get("B").message());
        assertEquals(TaskState.Running, t.get("C").state());
        assertFalse(result.isDone());

        ObjectNode done = running.deepCopy();
        ObjectNode c = (ObjectNode) done.path("nodes").path("dag-primay-branch-sd6rg-1849180629");
        c.put("phase", "Succeeded").put("finishedAt", "2020-05-22T16:44:15Z");
        ((ArrayNode) c.with("outputs").withArray("parameters")).addObject().put("name", "score").put("value", "0.93");
        ((ObjectNode) done.path("nodes").path("dag-primay-branch-sd6rg")).put("phase", "Succeeded");
        done.put("phase", "Succeeded").put("finishedAt", "2020-05-22T16:44:16Z");
        controllerSets("dag-primay-branch-sd6rg", done);

        FollowResult end = result.get(20, TimeUnit.SECONDS);
        assertEquals(RunStatus.Succeeded, end.status());
        assertFalse(end.deleted());
        t = tasks(store, s.runId());
        assertEquals(TaskState.Succeeded, t.get("C").state());
        assertEquals("{\"score\":\"0.93\"}", t.get("C").outputsJson());
        assertEquals(RunStatus.Succeeded, run(s.runId()).status());
        assertTrue(run(s.runId()).finishedAt().isPresent());
        assertTrue(seen.stream().anyMatch(e -> e.kind().equals("task.skipped")));
        assertTrue(seen.stream().anyMatch(e -> e.kind().equals("run.succeeded")));
    }

    @Test
    void succeededDiamondWithPodsAsAttempts() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals(List.of("A", "B", "C", "D"), t.keySet().stream().sorted().toList());
        t.values().forEach(task -> {
            assertEquals(TaskState.Succeeded, task.state());
            assertEquals(Optional.of(0), task.exitCode());
            assertEquals("echo", task.component());
            assertEquals(1, task.attempts());
        });
        // the pod name Argo used, as in the log artifact's key
        List<AttemptRecord> a = store.attempts(s.runId(), "A");
        assertEquals(Optional.of("dag-diamond-82q7s-echo-1310542453"), a.get(0).logPath());
    }

    /**
     * A finished node's {@code fs-metrics-*} parameters become its metric rows (a memoized node's too), parsed as the
     * engine parses a metrics file; they are no outputs of the task; a text the engine would refuse leaves the task as
     * Argo says with the engine's reason; following the run again records nothing twice.
     */
    @Test
    void metricsParametersOfFinishedNodesAreRecordedOnce() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        assertTrue(ArgoBackend.readsMetrics(store, s.runId()), "a run submitted now says its metrics are read back");
        ObjectNode done = status(fixture);
        Map<String, String> texts = Map.of("A", "{\"acc\": 0.9, \"loss\": 0.25}",
                "B", "{\"metrics\": [{\"name\": \"acc\", \"numberValue\": 0.5}]}", "C", "[0.9]", "D", "");
        done.path("nodes").forEach(n -> {
            String text = texts.get(n.path("displayName").asText());
            if (text != null) {
                ArrayNode params = ((ObjectNode) n).with("outputs").withArray("parameters");
                params.addObject().put("name", "fs-metrics-m").put("value", text);
                params.addObject().put("name", "score").put("value", "0.93");
            }
            if (n.path("displayName").asText().equals("B")) {
                ((ObjectNode) n).putObject("memoizationStatus").put("hit", true).put("key", "k").put("cacheName", "c");
            }
        });
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", done);
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        List<String> rows = store.metrics(s.runId()).stream().map(m -> m.taskId() + "/" + m.name() + "=" + m.value()).toList();
        assertEquals(List.of("A/acc=0.9", "A/loss=0.25", "B/acc=0.5"), rows);
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals("{\"score\":\"0.93\"}", t.get("A").outputsJson());
        assertEquals(TaskState.Cached, t.get("B").state());
        assertEquals(TaskState.Succeeded, t.get("C").state());
        String refused = "metrics output `m` must be a JSON object of numbers, e.g. {\"accuracy\": 0.9}, or KFP's"
                + " {\"metrics\": [{\"name\": \"accuracy\", \"numberValue\": 0.9}]} (its metrics are not recorded)";
        assertEquals(Optional.of(refused), t.get("C").message());
        assertEquals(Optional.empty(), t.get("D").message(), "an optional output not written records nothing");

        long taskEvents = store.events(s.runId()).stream().filter(e -> e.kind().startsWith("task.")).count();
        assertEquals(RunStatus.Succeeded, follow(s.runId()).get(20, TimeUnit.SECONDS).status());
        assertEquals(rows, store.metrics(s.runId()).stream().map(m -> m.taskId() + "/" + m.name() + "=" + m.value()).toList());
        assertEquals(Optional.of(refused), tasks(store, s.runId()).get("C").message());
        assertEquals(taskEvents, store.events(s.runId()).stream().filter(e -> e.kind().startsWith("task.")).count(),
                "no task changed when the run was followed again");
    }

    /**
     * A finished task's metrics are recorded once, not again at each poll that gives the same text (the value put in by
     * hand between polls stays), and read again when Argo gives another text (a node run again).
     */
    @Test
    void aFinishedTasksMetricsAreRecordedOnceAndReadAgainWhenTheirTextChanges() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        ObjectNode running = withMetrics(status(fixture), "{\"acc\": 0.9}").put("phase", "Running");
        running.remove("finishedAt");
        controllerSets("dag-diamond-82q7s", running);
        await("A's metrics recorded", () -> metricRows(s.runId()).equals(List.of("A/acc=0.9")));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE));
             java.sql.Statement update = c.createStatement()) {
            assertEquals(1, update.executeUpdate("UPDATE metrics SET value = 0.1 WHERE task_id = 'A'"));
        }
        // polls of the same text, then one that changes the run: it was applied, and A's metrics were not written again
        controllerSets("dag-diamond-82q7s", running.deepCopy().put("message", "still going"));
        await("the next Workflow mirrored", () -> run(s.runId()).message().equals(Optional.of("still going")));
        assertEquals(List.of("A/acc=0.1"), metricRows(s.runId()));

        // another text of the same length: read again
        controllerSets("dag-diamond-82q7s", withMetrics(status(fixture), "{\"acc\": 0.8}"));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        assertEquals(List.of("A/acc=0.8"), metricRows(s.runId()));
    }

    /** {@code status} with node A's {@code Metrics} output {@code m} giving {@code text}. */
    private static ObjectNode withMetrics(ObjectNode status, String text) {
        status.path("nodes").forEach(n -> {
            if (n.path("displayName").asText().equals("A")) {
                ((ObjectNode) n).withObjectProperty("outputs").withArrayProperty("parameters").addObject().put("name", "fs-metrics-m").put("value", text);
            }
        });
        return status;
    }

    private List<String> metricRows(String runId) {
        return store.metrics(runId).stream().map(m -> m.taskId() + "/" + m.name() + "=" + m.value()).toList();
    }

    @Test
    void failedDagWithRetryNodes() throws Exception {
        ObjectNode fixture = workflow("failed-dag-retry.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-disable-fail-fast-r6xdc", status(fixture));
        assertEquals(RunStatus.Failed, result.get(20, TimeUnit.SECONDS).status());
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals(List.of("A", "B", "C", "D", "E"), t.keySet().stream().sorted().toList());
        assertEquals(TaskState.Failed, t.get("C").state());
        assertEquals(2, t.get("C").attempts());
        assertEquals(Optional.of("No more retries left: failed with exit code 2"), t.get("C").message());
        assertEquals(2, store.attempts(s.runId(), "C").size());
        assertTrue(store.attempts(s.runId(), "C").stream().allMatch(AttemptRecord::isFinished));
        assertEquals(TaskState.Succeeded, t.get("B").state());
        assertEquals(1, t.get("B").attempts());
        assertEquals(TaskState.Succeeded, t.get("E").state());
        assertTrue(seen.stream().anyMatch(e -> e.kind().equals("task.retry") && e.message().startsWith("C")));
    }

    @Test
    void failedStepsWithExitHandler() throws Exception {
        ObjectNode fixture = workflow("failed-steps-exit-handler.yaml");
        ObjectNode manifest = manifest(fixture);
        Submitted s = backend.submit(SubmitRequest.of("demo", IR_HASH, manifest, List.of()));
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("exit-handlers-n7s4n", status(fixture));
        FollowResult end = result.get(20, TimeUnit.SECONDS);
        assertEquals(RunStatus.Failed, end.status());
        assertEquals(Optional.of("main: Error (exit code 1)"), end.message());
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals(List.of("celebrate", "cry", "intentional-fail", "notify"), t.keySet().stream().sorted().toList());
        assertEquals(TaskState.Failed, t.get("intentional-fail").state());
        assertEquals(Optional.of(1), t.get("intentional-fail").exitCode());
        assertEquals(TaskState.Succeeded, t.get("notify").state());
        assertEquals(TaskState.Skipped, t.get("celebrate").state());
        assertEquals(TaskState.Succeeded, t.get("cry").state());
        assertEquals(Optional.of("exit-handlers-n7s4n-cry-2699669595"),
                store.attempts(s.runId(), "cry").get(0).logPath());
    }

    @Test
    void compressedNodesAreMirroredLikePlainOnes() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", ArgoFixtures.compressed(status(fixture)));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        assertEquals(4, tasks(store, s.runId()).values().stream()
                .filter(t -> t.state() == TaskState.Succeeded).count());
    }

    @Test
    void offloadedNodesWithoutAnArgoServerAreReportedAsUnavailable() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        ObjectNode offloaded = status(fixture);
        offloaded.remove("nodes");
        offloaded.put("offloadNodeStatusVersion", "fnv:784f4dc9");
        offloaded.remove("message");
        controllerSets("dag-diamond-82q7s", offloaded);
        FollowResult end = result.get(20, TimeUnit.SECONDS);
        assertEquals(RunStatus.Succeeded, end.status());
        assertTrue(end.message().orElseThrow().contains("offloaded to Argo's database"), end.message().toString());
        assertTrue(end.message().orElseThrow().contains("--argo-server"));
        assertTrue(store.tasks(s.runId()).isEmpty());
    }

    // ---- what really happens ---------------------------------------------------------------------------

    @Test
    void workflowDeletedWhileRunningFinishesWithTheLastKnownState() throws Exception {
        ObjectNode fixture = workflow("running-dag-skipped.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-primay-branch-sd6rg", status(fixture));
        await("C is running", () -> tasks(store, s.runId()).size() == 3);
        controllerDeletes("dag-primay-branch-sd6rg");
        FollowResult end = result.get(20, TimeUnit.SECONDS);
        assertTrue(end.deleted());
        assertEquals(RunStatus.Cancelled, end.status());
        assertTrue(end.message().orElseThrow().contains("was deleted"), end.message().toString());
        Map<String, TaskRecord> t = tasks(store, s.runId());
        assertEquals(TaskState.Succeeded, t.get("A").state());
        assertEquals(TaskState.Cancelled, t.get("C").state());
    }

    @Test
    void workflowDeletedByItsTtlAfterFinishingKeepsTheOutcome() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        controllerDeletes("dag-diamond-82q7s");
        FollowResult again = backend.watch(s.runId(), Optional.of(Duration.ofSeconds(5)), seen::add);
        assertTrue(again.deleted());
        assertEquals(RunStatus.Succeeded, again.status());
        assertTrue(again.message().orElseThrow().contains("deleted after it finished (its TTL)"));
    }

    @Test
    void droppedWatchIsResumed() throws Exception {
        dispatcher.watchFaults.add("drop");
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        await("the watch was opened again", () -> dispatcher.watches.get() >= 2);
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        assertEquals(4, store.tasks(s.runId()).size());
    }

    /**
     * {@code gone}: the stream's first event is a 410 ERROR; {@code gone-at-start}: the watch request itself is
     * answered 410, which fabric8 throws from {@code watch()} (as it does when the ERROR races the start).
     */
    @ParameterizedTest
    @ValueSource(strings = {"gone", "gone-at-start"})
    void goneWatchIsReListedAndContinued(String fault) throws Exception {
        dispatcher.watchFaults.add(fault);
        ObjectNode fixture = workflow("failed-dag-retry.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        await("the watch was opened again", () -> dispatcher.watches.get() >= 2 || result.isDone());
        assertFalse(result.isCompletedExceptionally(), () -> result.handle((r, e) -> String.valueOf(e)).join());
        controllerSets("dag-disable-fail-fast-r6xdc", status(fixture));
        assertEquals(RunStatus.Failed, result.get(20, TimeUnit.SECONDS).status());
        // the expiry is told; or, when fabric8 lost the stream closed as it opened (about once in 40 here), that
        // the watch never started: the follower read the Workflow again all the same
        assertTrue(store.events(s.runId()).stream().anyMatch(e -> e.kind().equals("argo.watch")
                && (e.message().contains("410 Gone") || e.message().contains("the watch did not start within 2 s"))),
                store.events(s.runId()).toString());
        assertEquals(5, store.tasks(s.runId()).size());
    }

    /**
     * A watch whose start never comes (its answer held back, and fabric8 told to wait two minutes for it): the
     * follower does not wait on it but reads the Workflow again after its resync and watches anew.
     */
    @Test
    void watchThatNeverStartsIsLeftAndOpenedAgain() throws Exception {
        backend.close();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestTimeout(120_000).build()).build();
        backend = backendFor(client);
        dispatcher.watchFaults.add("stall");
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        await("the watch was opened again", () -> dispatcher.watches.get() >= 2 || result.isDone());
        assertFalse(result.isDone(), () -> String.valueOf(result.join()));
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
        assertEquals(4, store.tasks(s.runId()).size());
        assertTrue(store.events(s.runId()).stream().anyMatch(e -> e.kind().equals("argo.watch")
                && e.message().equals("the watch did not start within 2 s; reading the Workflow again")),
                store.events(s.runId()).toString());
    }

    /** The diamond's status with only A, pending, whose pod cannot pull its image. */
    private ObjectNode pendingWithAStuckPod(ObjectNode fixture) {
        ObjectNode pending = status(fixture);
        pending.put("phase", "Running");
        ObjectNode nodes = (ObjectNode) pending.get("nodes");
        for (String id : List.of("dag-diamond-82q7s-1226654358", "dag-diamond-82q7s-1260209596",
                "dag-diamond-82q7s-1276987215")) {
            nodes.remove(id);
        }
        ObjectNode a = (ObjectNode) nodes.get("dag-diamond-82q7s-1310542453");
        a.put("phase", "Pending").remove(List.of("outputs", "finishedAt"));
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata()
                .withName("dag-diamond-82q7s-echo-1310542453").endMetadata()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName("main").withNewState()
                .withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"alpine:3.99\"").endWaiting().endState().endContainerStatus()
                .endStatus().build()).create();
        return pending;
    }

    @Test
    void podStuckInPendingSurfacesThePodsReason() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        ObjectNode pending = pendingWithAStuckPod(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", pending);
        await("A says why it is pending", () -> tasks(store, s.runId()).containsKey("A")
                && tasks(store, s.runId()).get("A").message().isPresent());
        TaskRecord task = tasks(store, s.runId()).get("A");
        assertEquals(TaskState.Pending, task.state());
        assertTrue(task.message().get().contains("ImagePullBackOff: Back-off pulling image"), task.message().get());
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
    }

    @Test
    void aWorkflowAndANodeWaitingForAMutexSayWhichInTheEnginesWords() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        // the Workflow's own mutex (spec.synchronization), held by another Workflow: no node yet
        ObjectNode queued = status(fixture);
        queued.put("phase", "Pending").put("message", "Waiting for argo/Mutex/deploy lock. Lock status: 0/1");
        queued.remove(List.of("nodes", "finishedAt", "outputs"));
        queued.putObject("synchronization").putObject("mutex").putArray("waiting").addObject()
                .put("mutex", "argo/Mutex/deploy").put("holder", "argo/deploy-7kq2p");
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", queued);
        await("the run says what it waits for", () -> run(s.runId()).message()
                .equals(Optional.of("waiting for mutex `deploy`, held by `argo/deploy-7kq2p`")));
        assertEquals(RunStatus.Pending, run(s.runId()).status());
        // then A's template waits for `gpu`: Pending, with no pod to ask about
        ObjectNode waiting = pendingWithAStuckPod(fixture);
        ObjectNode a = (ObjectNode) waiting.get("nodes").get("dag-diamond-82q7s-1310542453");
        a.put("message", "Waiting for argo/Mutex/gpu lock. Lock status: 0/1").remove("startedAt");
        a.putObject("synchronizationStatus").put("waiting", "argo/Mutex/gpu");
        controllerSets("dag-diamond-82q7s", waiting);
        await("A says what it waits for", () -> tasks(store, s.runId()).containsKey("A")
                && tasks(store, s.runId()).get("A").message().isPresent());
        TaskRecord task = tasks(store, s.runId()).get("A");
        assertEquals(TaskState.Pending, task.state());
        assertEquals(Optional.of("waiting for mutex `gpu`"), task.message());
        assertEquals(0, dispatcher.podReads.get(), "a node waiting for a lock has no pod to read");
        assertTrue(store.events(s.runId()).stream().anyMatch(e -> e.kind().equals("task.waiting")),
                store.events(s.runId()).toString());
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
    }

    @Test
    void aPendingPodIsReadOncePerResyncNotOnEveryEvent() throws Exception {
        // the same client (closing the first backend would close it), with a resync longer than the test
        KubernetesApi api = new KubernetesApi(client, NS, CREDENTIAL, Secrets.of(TOKEN), Optional.empty());
        backend = new ArgoBackend(api, store, Clock.systemUTC(),
                new FollowSettings(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMillis(20)));
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = submit(fixture);
        ObjectNode pending = pendingWithAStuckPod(fixture);
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", pending);
        await("A says why it is pending", () -> tasks(store, s.runId()).containsKey("A")
                && tasks(store, s.runId()).get("A").message().isPresent());
        for (int i = 1; i <= 5; i++) {
            pending.put("message", "event " + i);
            controllerSets("dag-diamond-82q7s", pending);
        }
        await("the last event is mirrored", () -> run(s.runId()).message().equals(Optional.of("event 5")));
        assertEquals(1, dispatcher.podReads.get(), "the pod was read on every event");
        assertTrue(tasks(store, s.runId()).get("A").message().get().contains("ImagePullBackOff"),
                "the answer is kept between reads");
        controllerSets("dag-diamond-82q7s", status(fixture));
        assertEquals(RunStatus.Succeeded, result.get(20, TimeUnit.SECONDS).status());
    }

    // ---- errors a user can act on ----------------------------------------------------------------------

    @Test
    void argoNotInstalled() {
        dispatcher.argoMissing = true;
        ArgoException e = assertThrows(ArgoException.class, () -> submitMinimal("hello-wf"));
        assertEquals(ArgoError.Kind.NotInstalled, e.error().kind());
        assertTrue(e.getMessage().startsWith("Argo Workflows is not installed in namespace argo"), e.getMessage());
        assertTrue(e.error().help().contains("install Argo Workflows"));
        assertTrue(store.listRuns(Optional.empty(), 0).isEmpty(), "a failed submission records no run");
    }

    @Test
    void conflictOnAnExistingName() {
        submitMinimal("hello-wf");
        ArgoException e = assertThrows(ArgoException.class, () -> submitMinimal("hello-wf"));
        assertEquals(ArgoError.Kind.Conflict, e.error().kind());
        assertTrue(e.getMessage().contains("create Workflow argo/hello-wf"), e.getMessage());
    }

    @Test
    void validationErrorsNameTheField() {
        dispatcher.createFailure = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"Workflow.argoproj.io \\\"x\\\" is invalid: spec.templates[0].name: Invalid value\",\"reason\":"
                + "\"Invalid\",\"details\":{\"name\":\"x\",\"group\":\"argoproj.io\",\"kind\":\"Workflow\",\"causes\":"
                + "[{\"reason\":\"FieldValueInvalid\",\"message\":\"Invalid value: \\\"Bad_Name\\\": must be DNS-1123\","
                + "\"field\":\"spec.templates[0].name\"}]},\"code\":422}";
        ArgoException e = assertThrows(ArgoException.class, () -> submitMinimal("hello-wf"));
        assertEquals(ArgoError.Kind.Invalid, e.error().kind());
        assertTrue(e.getMessage().contains("field `spec.templates[0].name`: Invalid value"), e.getMessage());
    }

    @Test
    void unauthorizedAndForbiddenNameTheCredentialButNeverTheToken() throws Exception {
        dispatcher.failAllWith = 401;
        ArgoException e401 = assertThrows(ArgoException.class, () -> submitMinimal("hello-wf"));
        assertEquals(ArgoError.Kind.Unauthorized, e401.error().kind());
        assertTrue(e401.getMessage().contains(CREDENTIAL), e401.getMessage());
        dispatcher.failAllWith = 403;
        ArgoException e403 = assertThrows(ArgoException.class, () -> submitMinimal("hello-wf"));
        assertEquals(ArgoError.Kind.Forbidden, e403.error().kind());
        assertTrue(e403.getMessage().startsWith(CREDENTIAL + " may not create Workflow"), e403.getMessage());
        for (ArgoException e : List.of(e401, e403)) {
            assertFalse(e.error().toString().contains(TOKEN));
        }
        ArgoFixtures.assertNoSecret(store, TOKEN);
    }

    @Test
    void aFollowedRunHoldsNoToken() throws Exception {
        Submitted s = submit(workflow("succeeded-dag-diamond.yaml"));
        CompletableFuture<FollowResult> result = follow(s.runId());
        controllerSets("dag-diamond-82q7s", status(workflow("succeeded-dag-diamond.yaml")));
        result.get(20, TimeUnit.SECONDS);
        seen.forEach(ev -> assertFalse(ev.message().contains(TOKEN)));
        ArgoFixtures.assertNoSecret(store, TOKEN);
    }

    @Test
    void unreachableClusterIsAValue() {
        KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:9").withOauthToken(TOKEN).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2000).build()).build();
        try (ArgoBackend b = backendFor(nowhere)) {
            ArgoException e = assertThrows(ArgoException.class, () -> b.submit(
                    SubmitRequest.of("demo", IR_HASH, ArgoFixtures.minimalWorkflow("hello-wf"), List.of())));
            assertEquals(ArgoError.Kind.Unreachable, e.error().kind());
            assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API at http://127.0.0.1:9"), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN));
        }
    }

    @Test
    void stopAndTerminateSetTheShutdownStrategy() {
        Submitted s = submitMinimal("hello-wf");
        backend.stop(s.runId(), Optional.empty());
        assertEquals("Stop", client.genericKubernetesResources(WORKFLOWS).inNamespace(NS)
                .withName("hello-wf").get().get("spec", "shutdown"));
        backend.terminate(s.runId());
        assertEquals("Terminate", client.genericKubernetesResources(WORKFLOWS).inNamespace(NS)
                .withName("hello-wf").get().get("spec", "shutdown"));
        ArgoException retry = assertThrows(ArgoException.class, () -> backend.retry(s.runId(), false));
        assertEquals(ArgoError.Kind.Unsupported, retry.error().kind());
        assertTrue(retry.error().help().contains("--argo-server"));
    }

    @Test
    void resubmitCreatesANewRunFromTheOldSpec() {
        Submitted s = submitMinimal("hello-wf");
        Submitted again = backend.resubmit(s.runId(), false);
        assertFalse(again.runId().equals(s.runId()));
        assertTrue(again.workflow().name().startsWith("hello-wf-"), again.workflow().name());
        GenericKubernetesResource created = client.genericKubernetesResources(WORKFLOWS).inNamespace(NS)
                .withName(again.workflow().name()).get();
        assertEquals("hello-wf",
                created.getMetadata().getLabels().get(Resubmission.RESUBMITTED_FROM));
        assertEquals(IR_HASH, run(again.runId()).version());
        // Argo runs the old Workflow's templates: they carry metrics as the old run's did
        assertTrue(ArgoBackend.readsMetrics(store, again.runId()));
    }
}
