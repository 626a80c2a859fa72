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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskState;
import dev.freestone.testing.SharedData;
import dev.freestone.testing.SwaggerContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend against a stub Argo Server (JDK HttpServer on 127.0.0.1) that checks every request
 * against Argo's swagger.json and streams watch events the way Argo does: {@code text/event-stream}
 * frames, keep-alive comments and a final error chunk.
 */
class ArgoServerBackendTest {
    private static final String TOKEN = "v2:argo-secret-token-5e4d3c2b1a";
    private static final String NS = "argo";
    private static final String END = "<end>";
    private static SwaggerContract swagger;

    @TempDir
    Path home;
    private HttpServer http;
    private RunStore store;
    private ArgoBackend backend;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ObjectNode> bodies = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    /** What GET returns instead of the stored Workflow when its nodes were offloaded (the server hydrates). */
    private final Map<String, ObjectNode> hydrated = new ConcurrentHashMap<>();
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private volatile int forceStatus;

    @BeforeAll
    static void loadSwagger() throws IOException {
        swagger = new SwaggerContract(SharedData.file("argo/swagger.json"));
    }

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        store = RunStore.open(home);
        backend = connect(Optional.of(new BearerToken(TOKEN, "token from ARGO_TOKEN")), false);
    }

    /** Goes through the public {@code connect} (for its warnings), then uses short follow timings. */
    private ArgoBackend connect(Optional<BearerToken> token, boolean insecure) {
        ArgoTarget.ArgoServer target = new ArgoTarget.ArgoServer(
                URI.create("http://127.0.0.1:" + http.getAddress().getPort()), NS, token, insecure);
        ArgoBackend.connect(target, store, warnings::add).close();
        return new ArgoBackend(new ArgoServerApi(target), store, Clock.systemUTC(),
                new FollowSettings(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMillis(20)));
    }

    @AfterEach
    void stop() {
        frames.add(END);
        backend.close();
        store.close();
        http.stop(0);
        assertEquals(List.of(), violations, "requests that Argo's API would not accept");
    }

    // ---- the stub ---------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String uri = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + uri);
        if (!uri.startsWith("/api/v1/")) {
            respond(ex, 404, "text/html", "<html>404 page not found</html>");
            return;
        }
        List<String> problems = swagger.check(method, uri, body.isEmpty() ? Optional.empty() : Optional.of(body));
        if (!problems.isEmpty()) {
            violations.addAll(problems);
            respond(ex, 400, "application/json", "{\"code\":3,\"message\":\"" + String.join("; ", problems).replace("\"", "'") + "\"}");
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + TOKEN).equals(auth)) {
            respond(ex, 401, "application/json", "{\"code\":16,\"message\":\"token not valid: " + auth + "\"}");
            return;
        }
        if (forceStatus != 0) {
            respond(ex, forceStatus, "application/json", "{\"code\":7,\"message\":\"workflows.argoproj.io is forbidden:"
                    + " User \\\"system:serviceaccount:argo:ci\\\" cannot create resource \\\"workflows\\\"\"}");
            return;
        }
        String[] parts = ex.getRequestURI().getPath().split("/");
        // /api/v1/<collection>/<ns>[/<name>[/<action>]]
        String collection = parts[3];
        String name = parts.length > 5 ? parts[5] : "";
        String action = parts.length > 6 ? parts[6] : "";
        if (!body.isEmpty()) {
            bodies.put(method + " " + collection + "/" + action, ArgoJson.parseObject(body, "request"));
        }
        if (collection.equals("workflow-events")) {
            streamEvents(ex);
            return;
        }
        if (action.equals("log")) {
            respond(ex, 200, "text/event-stream", ": keep-alive\n\ndata: {\"result\":{\"content\":\"hello\",\"podName\":\"p\"}}\n\n"
                    + "data: {\"result\":{\"content\":\"world\",\"podName\":\"p\"}}\n\n");
            return;
        }
        String key = collection + "/" + name;
        switch (method + " " + (name.isEmpty() ? "" : action.isEmpty() ? "name" : "action")) {
            case "POST " -> {
                ObjectNode request = ArgoJson.parseObject(body, "request");
                String field = collection.equals("workflows") ? "workflow" : collection.equals("workflow-templates")
                        ? "template" : "cronWorkflow";
                ObjectNode object = (ObjectNode) request.get(field);
                ObjectNode meta = (ObjectNode) object.get("metadata");
                if (!meta.has("name")) {
                    meta.put("name", meta.path("generateName").asText() + "x7k2p");
                }
                meta.put("namespace", NS).put("resourceVersion", "1");
                String k = collection + "/" + meta.path("name").asText();
                if (objects.containsKey(k)) {
                    respond(ex, 409, "application/json", "{\"code\":6,\"message\":\"" + collection.replace("-", "")
                            + ".argoproj.io \\\"" + meta.path("name").asText() + "\\\" already exists\"}");
                    return;
                }
                objects.put(k, object);
                respond(ex, 200, "application/json", ArgoJson.write(object));
            }
            case "GET name" -> {
                ObjectNode object = hydrated.getOrDefault(key, objects.get(key));
                if (object == null) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"not found\"}");
                } else {
                    respond(ex, 200, "application/json", ArgoJson.write(object));
                }
            }
            case "PUT name" -> {
                ObjectNode request = ArgoJson.parseObject(body, "request");
                ObjectNode object = (ObjectNode) request.get(collection.equals("workflow-templates") ? "template"
                        : "cronWorkflow");
                objects.put(key, object);
                respond(ex, 200, "application/json", ArgoJson.write(object));
            }
            case "PUT action" -> {
                ObjectNode wf = objects.get(key);
                if (wf == null) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"workflows.argoproj.io \\\"" + name
                            + "\\\" not found\"}");
                } else if (action.equals("resubmit")) {
                    ObjectNode fresh = Resubmission.fresh(wf);
                    ((ObjectNode) fresh.get("metadata")).put("name", name + "-r9z8y").put("namespace", NS);
                    objects.put("workflows/" + name + "-r9z8y", fresh);
                    respond(ex, 200, "application/json", ArgoJson.write(fresh));
                } else {
                    respond(ex, 200, "application/json", ArgoJson.write(wf));
                }
            }
            default -> respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"no route\"}");
        }
    }

    private void streamEvents(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            while (true) {
                String frame = frames.poll(20, TimeUnit.SECONDS);
                if (frame == null || frame.equals(END)) {
                    return;
                }
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (frame.contains("\"error\"")) {
                    return; // grpc-gateway ends the stream after the error chunk
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String event(String type, JsonNode workflow) {
        return "data: {\"result\":{\"type\":\"" + type + "\",\"object\":" + ArgoJson.write(workflow) + "}}\n\n";
    }

    /** The stored Workflow with a status, as the controller would have written it. */
    private ObjectNode withStatus(String name, ObjectNode status) {
        ObjectNode wf = objects.get("workflows/" + name).deepCopy();
        wf.set("status", status);
        ((ObjectNode) wf.get("metadata")).put("resourceVersion", String.valueOf(System.nanoTime()));
        objects.put("workflows/" + name, wf);
        return wf;
    }

    private CompletableFuture<FollowResult> follow(String runId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return backend.watch(runId, Optional.of(Duration.ofSeconds(20)), e -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ObjectNode template(String name) {
        ObjectNode t = ArgoJson.parseObject("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"WorkflowTemplate\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"templates\":[{\"name\":\"echo\",\"container\":"
                + "{\"image\":\"alpine:3.23\",\"command\":[\"echo\"]}}]}}", "template");
        return t;
    }

    // ---- tests ----------------------------------------------------------------------------------------

    @Test
    void submitWatchThroughKeepAlivesAndAnExpiredStream() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = backend.submit(SubmitRequest.of("diamond", IR_HASH, manifest(fixture), List.of(template("demo-echo"))));
        assertEquals(new RemoteRef(NS, "dag-diamond-82q7s"), s.workflow());
        assertEquals(List.of(new RemoteRef(NS, "demo-echo")), s.templates());
        assertEquals("diamond", bodies.get("POST workflows/").path("workflow").path("metadata").path("annotations")
                .path(SubmitRequest.PIPELINE).asText());
        CompletableFuture<FollowResult> result = follow(s.runId());

        ObjectNode running = status(fixture);
        running.put("phase", "Running");
        ObjectNode d = (ObjectNode) running.path("nodes").path("dag-diamond-82q7s-1226654358");
        d.put("phase", "Running").remove(List.of("finishedAt", "outputs"));
        frames.add(": keep-alive\n\n");
        frames.add(event("MODIFIED", withStatus("dag-diamond-82q7s", running)));
        frames.add(":\n\n");
        await("D is running", () -> tasks(store, s.runId()).size() == 4
                && tasks(store, s.runId()).get("D").state() == TaskState.Running);
        assertEquals(RunStatus.Running, RunMirror.requireRun(store, s.runId()).status());
        assertEquals(TaskState.Succeeded, tasks(store, s.runId()).get("A").state());

        // the stream expires: Argo's final error chunk, then the backend reads the Workflow and watches again
        frames.add("data: {\"error\":{\"grpc_code\":10,\"http_code\":410,\"message\":\"too old resource version: 1 (7)\","
                + "\"http_status\":\"Gone\"}}\n\n");
        await("a second watch", () -> requests.stream().filter(r -> r.contains("workflow-events")).count() >= 2);
        frames.add(event("MODIFIED", withStatus("dag-diamond-82q7s", status(fixture))));
        FollowResult end = result.get(20, TimeUnit.SECONDS);
        assertEquals(RunStatus.Succeeded, end.status());
        assertEquals(TaskState.Succeeded, tasks(store, s.runId()).get("D").state());
        assertTrue(store.events(s.runId()).stream().anyMatch(e -> e.message().contains("410 Gone")));
        assertTrue(requests.stream().anyMatch(r -> r.contains("listOptions.fieldSelector=metadata.name%3Ddag-diamond-82q7s")));
        ArgoFixtures.assertNoSecret(store, TOKEN);
    }

    @Test
    void offloadedNodesAreReadThroughTheServer() throws Exception {
        ObjectNode fixture = workflow("failed-dag-retry.yaml");
        Submitted s = backend.submit(SubmitRequest.of("retry", IR_HASH, manifest(fixture), List.of()));
        CompletableFuture<FollowResult> result = follow(s.runId());
        await("watching", () -> requests.stream().anyMatch(r -> r.contains("workflow-events")));
        ObjectNode offloaded = status(fixture);
        offloaded.remove("nodes");
        offloaded.put("offloadNodeStatusVersion", "fnv:1234");
        ObjectNode event = withStatus("dag-disable-fail-fast-r6xdc", offloaded);
        ObjectNode full = event.deepCopy();
        full.set("status", status(fixture));
        hydrated.put("workflows/dag-disable-fail-fast-r6xdc", full);
        frames.add(event("MODIFIED", event));
        assertEquals(RunStatus.Failed, result.get(20, TimeUnit.SECONDS).status());
        assertEquals(TaskState.Failed, tasks(store, s.runId()).get("C").state());
        assertEquals(5, tasks(store, s.runId()).size());
    }

    @Test
    void logsStopTerminateRetryResubmit() throws Exception {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        Submitted s = backend.submit(SubmitRequest.of("diamond", IR_HASH, manifest(fixture), List.of()));
        CompletableFuture<FollowResult> result = follow(s.runId());
        await("watching", () -> requests.stream().anyMatch(r -> r.contains("workflow-events")));
        frames.add(event("MODIFIED", withStatus("dag-diamond-82q7s", status(fixture))));
        result.get(20, TimeUnit.SECONDS);

        List<String> lines = new ArrayList<>();
        backend.logs(s.runId(), "A", OptionalInt.empty(), false, OptionalInt.empty(), lines::add);
        assertEquals(List.of("hello", "world"), lines);
        assertTrue(requests.contains("GET /api/v1/workflows/argo/dag-diamond-82q7s/log"
                + "?podName=dag-diamond-82q7s-echo-1310542453&logOptions.container=main"), requests.toString());
        ArgoException noTask = assertThrows(ArgoException.class,
                () -> backend.logs(s.runId(), "Z", OptionalInt.empty(), false, OptionalInt.empty(), lines::add));
        assertTrue(noTask.error().help().contains("A, B, C, D"), noTask.error().help());

        backend.stop(s.runId(), Optional.of("enough"));
        assertEquals("enough", bodies.get("PUT workflows/stop").path("message").asText());
        backend.terminate(s.runId());
        assertEquals("dag-diamond-82q7s", bodies.get("PUT workflows/terminate").path("name").asText());
        backend.retry(s.runId(), true);
        assertTrue(bodies.get("PUT workflows/retry").path("restartSuccessful").asBoolean());
        Submitted again = backend.resubmit(s.runId(), true);
        assertTrue(bodies.get("PUT workflows/resubmit").path("memoized").asBoolean());
        assertEquals(new RemoteRef(NS, "dag-diamond-82q7s-r9z8y"), again.workflow());
        assertEquals(IR_HASH, RunMirror.requireRun(store, again.runId()).version());
    }

    @Test
    void publishAndSchedule() {
        assertEquals(List.of(new RemoteRef(NS, "demo-echo")), backend.publish(List.of(template("demo-echo")), false));
        // the same template again: found identical, nothing to do
        assertEquals(List.of(new RemoteRef(NS, "demo-echo")), backend.publish(List.of(template("demo-echo")), false));
        ObjectNode changed = template("demo-echo");
        ((ObjectNode) changed.path("spec").path("templates").get(0).path("container")).put("image", "alpine:3.24");
        ArgoException conflict = assertThrows(ArgoException.class, () -> backend.publish(List.of(changed), false));
        assertEquals(ArgoError.Kind.Conflict, conflict.error().kind());
        assertTrue(conflict.getMessage().contains("already exists with a different spec"));
        backend.publish(List.of(changed), true);
        assertEquals("alpine:3.24", objects.get("workflow-templates/demo-echo").path("spec").path("templates").get(0)
                .path("container").path("image").asText());

        ObjectNode cron = ArgoJson.parseObject("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"CronWorkflow\","
                + "\"metadata\":{\"name\":\"nightly\"},\"spec\":{\"schedules\":[\"0 2 * * *\"],\"workflowSpec\":"
                + "{\"workflowTemplateRef\":{\"name\":\"demo-echo\"}}}}", "cron");
        assertEquals(new RemoteRef(NS, "nightly"), backend.schedule(cron, List.of(), false));
        assertTrue(requests.contains("POST /api/v1/cron-workflows/argo"));
    }

    @Test
    void errorsNameTheCredentialNeverTheToken() throws IOException {
        ObjectNode fixture = workflow("succeeded-dag-diamond.yaml");
        try (ArgoBackend wrong = connect(Optional.of(new BearerToken("v2:wrong-token-0000", "token from --token")), false)) {
            ArgoException e = assertThrows(ArgoException.class,
                    () -> wrong.submit(SubmitRequest.of("d", IR_HASH, manifest(fixture), List.of())));
            assertEquals(ArgoError.Kind.Unauthorized, e.error().kind());
            assertTrue(e.getMessage().contains("did not accept the token from --token (401 Unauthorized)"), e.getMessage());
            assertFalse(e.error().toString().contains("wrong-token"), "the server echoed the token; it must be redacted");
        }
        try (ArgoBackend none = connect(Optional.empty(), false)) {
            ArgoException e = assertThrows(ArgoException.class,
                    () -> none.submit(SubmitRequest.of("d", IR_HASH, manifest(fixture), List.of())));
            assertTrue(e.getMessage().contains("requires a token"), e.getMessage());
            assertTrue(e.error().help().contains("ARGO_TOKEN"));
        }
        forceStatus = 403;
        ArgoException forbidden = assertThrows(ArgoException.class,
                () -> backend.submit(SubmitRequest.of("d", IR_HASH, manifest(fixture), List.of())));
        assertEquals(ArgoError.Kind.Forbidden, forbidden.error().kind());
        assertTrue(forbidden.getMessage().startsWith("the token from ARGO_TOKEN may not create Workflow"), forbidden.getMessage());
        forceStatus = 0;

        backend.submit(SubmitRequest.of("d", IR_HASH, manifest(fixture), List.of()));
        ArgoException conflict = assertThrows(ArgoException.class,
                () -> backend.submit(SubmitRequest.of("d", IR_HASH, manifest(fixture), List.of())));
        assertEquals(ArgoError.Kind.Conflict, conflict.error().kind());
        assertTrue(conflict.getMessage().contains("already exists"), conflict.getMessage());

        ArgoException missing = assertThrows(ArgoException.class, () -> backend.terminate(
                backend.submit(SubmitRequest.of("d", IR_HASH, renamed(manifest(fixture), "gone-wf"), List.of())).runId()
                        .transform(id -> {
                            objects.remove("workflows/gone-wf");
                            return id;
                        })));
        assertEquals(ArgoError.Kind.NotFound, missing.error().kind());
        assertEquals("Workflow argo/gone-wf does not exist", missing.getMessage());

        try (ArgoBackend insecure = connect(Optional.of(new BearerToken(TOKEN, "token from ARGO_TOKEN")), true)) {
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("warning: TLS verification")), warnings.toString());
            warnings.forEach(w -> assertFalse(w.contains(TOKEN)));
        }
        ArgoFixtures.assertNoSecret(store, TOKEN);
    }

    @Test
    void aUrlThatIsNotAnArgoServerIsSaidSo() {
        ArgoTarget.ArgoServer target = new ArgoTarget.ArgoServer(
                URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/ui"), NS,
                Optional.of(new BearerToken(TOKEN, "token from ARGO_TOKEN")), false);
        try (ArgoBackend b = new ArgoBackend(new ArgoServerApi(target), store, Clock.systemUTC(), FollowSettings.DEFAULT)) {
            ArgoException e = assertThrows(ArgoException.class, () -> b.submit(
                    SubmitRequest.of("d", IR_HASH, manifest(workflow("succeeded-dag-diamond.yaml")), List.of())));
            assertEquals(ArgoError.Kind.Server, e.error().kind());
            assertTrue(e.getMessage().startsWith("no Argo Server API at http://127.0.0.1:"), e.getMessage());
        }
    }

    private static ObjectNode renamed(ObjectNode manifest, String name) {
        ((ObjectNode) manifest.get("metadata")).put("name", name);
        return manifest;
    }
}
