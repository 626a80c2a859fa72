package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskState;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.CliSession;
import dev.freestone.testing.SharedData;
import dev.freestone.testing.SimulatedArgoController;
import dev.freestone.testing.SwaggerContract;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster commands through an Argo Server: the CLI in-process against a stub server that checks
 * every request against Argo's swagger.json and answers as the server and a simulated controller
 * would (the first read after a create finds the Workflow finished). Covers what only the server
 * can do (retry, memoized resubmit), logs, and the token: from ARGO_TOKEN or --token, never shown.
 */
class ArgoServerCliTest {
    private static final String TOKEN = "v2:argo-cli-token-0a9b8c7d6e5f";
    private static final String NS = "argo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SwaggerContract swagger;

    @TempDir
    Path home;
    private HttpServer http;
    private String url;
    private final Map<String, String> env = new HashMap<>();
    private final CliSession session = new CliSession(env, TOKEN);
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ObjectNode> bodies = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private final AtomicInteger names = new AtomicInteger();
    /** The next Workflow created fails (its pods fail); a retry then succeeds. */
    private volatile boolean failNext;
    private volatile int forceStatus;
    /** The controller leaves new Workflows alone (they stay Pending). */
    private volatile boolean hold;
    /** The event stream is accepted and then nothing is sent, not even the headers (a buffering proxy). */
    private volatile boolean silentEvents;
    /** The 400 message of the next creates (an admission webhook's denial, Argo's validation; null: none). */
    private volatile String admissionDenial;
    /** The namespaces of the cluster behind the server; a create elsewhere is Kubernetes' 404. */
    private static final List<String> NAMESPACES = List.of(NS, "default");

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
        url = "http://127.0.0.1:" + http.getAddress().getPort();
        env.put("FREESTONE_HOME", home.toString());
        env.put("ARGO_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() throws IOException {
        http.stop(0);
        assertEquals(List.of(), violations, "requests that Argo's API would not accept");
        session.assertNotStoredUnder(home);
    }

    private CliRun cli(String... args) {
        return session.run(args);
    }

    private static String hello() {
        return SharedData.projectDir().resolve("examples/hello/hello.pipe").toString();
    }

    // ---- the stub ------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String uri = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + uri);
        List<String> problems = swagger.check(method, uri, body.isEmpty() ? Optional.empty() : Optional.of(body));
        if (!problems.isEmpty()) {
            violations.addAll(problems);
            respond(ex, 400, "application/json", "{\"code\":3,\"message\":\"not in the API\"}");
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
        String collection = parts[3];
        String name = parts.length > 5 ? parts[5] : "";
        String action = parts.length > 6 ? parts[6] : "";
        if (!body.isEmpty()) {
            bodies.put(method + " " + collection + "/" + action, (ObjectNode) JSON.readTree(body));
        }
        String key = collection + "/" + name;
        if (collection.equals("workflow-events")) {
            if (silentEvents) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(ex, 200, "text/event-stream", ": keep-alive\n\n");
            return;
        }
        if (action.equals("log")) {
            String query = ex.getRequestURI().getQuery();
            String pod = query.replaceAll("^.*podName=([^&]+).*$", "$1");
            String hello = "data: {\"result\":{\"content\":\"hello from " + pod + "\",\"podName\":\"" + pod + "\"}}\n\n";
            String bye = "data: {\"result\":{\"content\":\"bye\",\"podName\":\"" + pod + "\"}}\n\n";
            // as the Argo Server: `logOptions.tailLines` keeps the last lines
            respond(ex, 200, "text/event-stream", (query.contains("logOptions.tailLines=1") ? "" : hello)
                    + ": keep-alive\n\n" + bye);
            return;
        }
        switch (method + " " + (name.isEmpty() ? "" : action.isEmpty() ? "name" : "action")) {
            case "POST " -> {
                if (!NAMESPACES.contains(parts[4])) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"namespaces \\\"" + parts[4]
                            + "\\\" not found\"}");
                    return;
                }
                if (admissionDenial != null) {
                    respond(ex, 400, "application/json", "{\"code\":3,\"message\":" + JSON.writeValueAsString(admissionDenial)
                            + "}");
                    return;
                }
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                String field = collection.equals("workflows") ? "workflow" : collection.equals("workflow-templates")
                        ? "template" : "cronWorkflow";
                ObjectNode object = (ObjectNode) request.get(field);
                ObjectNode meta = (ObjectNode) object.get("metadata");
                if (!meta.has("name")) {
                    meta.put("name", meta.path("generateName").asText() + "s" + names.incrementAndGet());
                }
                meta.put("namespace", NS).put("resourceVersion", "1");
                String k = collection + "/" + meta.path("name").asText();
                if (objects.containsKey(k)) {
                    respond(ex, 409, "application/json", "{\"code\":6,\"message\":\"" + collection.replace("-", "")
                            + ".argoproj.io \\\"" + meta.path("name").asText() + "\\\" already exists\"}");
                    return;
                }
                if (collection.equals("workflows") && failNext) {
                    failNext = false;
                    meta.with("labels").put("test/fail", "true");
                }
                objects.put(k, object);
                respond(ex, 200, "application/json", JSON.writeValueAsString(object));
            }
            case "GET name" -> {
                ObjectNode object = objects.get(key);
                if (object == null) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"not found\"}");
                    return;
                }
                if (collection.equals("workflows") && !object.has("status") && !hold) {
                    controller(object);
                }
                respond(ex, 200, "application/json", JSON.writeValueAsString(object));
            }
            case "GET " -> {
                // as the Argo Server: the objects of the namespace with the label (an existence selector), and no
                // `items` at all when there are none
                String selector = java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery() == null ? ""
                        : ex.getRequestURI().getRawQuery().replaceAll("^.*listOptions.labelSelector=([^&]*).*$", "$1"),
                        StandardCharsets.UTF_8);
                ObjectNode list = JSON.createObjectNode();
                list.putObject("metadata");
                objects.entrySet().stream().filter(e -> e.getKey().startsWith(collection + "/")).sorted(Map.Entry.comparingByKey())
                        .map(Map.Entry::getValue)
                        .filter(o -> o.path("metadata").path("namespace").asText().equals(parts[4]))
                        .filter(o -> selector.isEmpty() || o.path("metadata").path("labels").has(selector))
                        .forEach(o -> list.withArray("items").add(o));
                respond(ex, 200, "application/json", JSON.writeValueAsString(list));
            }
            case "DELETE name" -> {
                if (objects.remove(key) == null) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"" + collection.replace("-", "")
                            + ".argoproj.io \\\"" + name + "\\\" not found\"}");
                    return;
                }
                respond(ex, 200, "application/json", "{}");
            }
            case "PUT action" -> {
                ObjectNode wf = objects.get(key);
                if (wf == null) {
                    respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"workflows.argoproj.io \\\"" + name
                            + "\\\" not found\"}");
                } else if (collection.equals("cron-workflows")) {
                    wf.with("spec").put("suspend", action.equals("suspend"));
                    respond(ex, 200, "application/json", JSON.writeValueAsString(wf));
                } else if (action.equals("resubmit")) {
                    ObjectNode fresh = wf.deepCopy();
                    fresh.remove("status");
                    String n = name + "-r" + names.incrementAndGet();
                    ((ObjectNode) fresh.get("metadata")).put("name", n).put("namespace", NS);
                    objects.put("workflows/" + n, fresh);
                    respond(ex, 200, "application/json", JSON.writeValueAsString(fresh));
                } else if (action.equals("retry")) {
                    ((ObjectNode) wf.get("metadata")).with("labels").remove("test/fail");
                    wf.remove("status");
                    wf.putObject("status").put("phase", "Running");
                    respond(ex, 200, "application/json", JSON.writeValueAsString(wf));
                    wf.remove("status"); // the controller runs it again
                } else {
                    wf.with("spec").put("shutdown", action.equals("stop") ? "Stop" : "Terminate");
                    respond(ex, 200, "application/json", JSON.writeValueAsString(wf));
                }
            }
            default -> respond(ex, 404, "application/json", "{\"code\":5,\"message\":\"no route\"}");
        }
    }

    /** What the controller writes: every step succeeded, or (labelled to fail) the first pod failed. */
    private void controller(ObjectNode wf) {
        SimulatedArgoController.Outcome outcome = SimulatedArgoController.succeeded(wf,
                n -> Optional.ofNullable(objects.get("workflow-templates/" + n)));
        ObjectNode status = outcome.status();
        if (wf.path("metadata").path("labels").has("test/fail")) {
            // a message quoting what a step wrote: its escape codes are shown, not sent
            status.put("phase", "Failed").put("message", "child failed \u001b]52;c;ZWNobw==\u0007\u001b[2J");
            for (JsonNode n : status.path("nodes")) {
                if (n.path("type").asText().equals("Pod")) {
                    ((ObjectNode) n).put("phase", "Failed").put("message", "Error (exit code 1)");
                    ((ObjectNode) n.path("outputs")).put("exitCode", "1");
                    break;
                }
            }
        }
        wf.set("status", status);
        ((ObjectNode) wf.get("metadata")).put("resourceVersion", "2");
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private TaskState state(String runId, String taskId) {
        try (RunStore store = RunStore.open(home)) {
            return store.task(runId, taskId).orElseThrow().state();
        }
    }

    private RunStatus status(String runId) {
        try (RunStore store = RunStore.open(home)) {
            return Cli.findRun(store, runId).status();
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void aFailedRunIsRetriedInPlaceThroughTheServer() {
        failNext = true;
        CliRun failed = cli("submit", hello(), "--argo-server", url, "-n", NS, "--wait", "--progress", "plain");
        assertEquals(1, failed.code(), failed.out() + failed.err());
        String id = failed.runId();
        assertTrue(failed.out().contains("failed     greet"), failed.out());
        assertTrue(failed.err().contains("error: child failed ^[]52;c;ZWNobw==^G^[[2J\n")
                && failed.err().contains("  = help: see `freestone show " + id), failed.err());
        assertEquals(TaskState.Failed, state(id, "greet"));

        // the connection is remembered: no --argo-server needed, the token comes from ARGO_TOKEN again
        CliRun retried = cli("retry", id, "--wait", "--progress", "none");
        assertEquals(0, retried.code(), retried.out() + retried.err());
        assertEquals(RunStatus.Succeeded, status(id));
        assertEquals(TaskState.Succeeded, state(id, "greet"));
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("PUT /api/v1/workflows/argo/hello-") && r.endsWith("/retry")),
                requests.toString());

        CliRun again = cli("resubmit", id, "--memoized");
        assertEquals(0, again.code(), again.err());
        assertTrue(bodies.get("PUT workflows/resubmit").path("memoized").asBoolean());
        assertEquals(0, cli("watch", again.runId(), "--progress", "none").code());

        CliRun logs = cli("logs", id, "greet");
        assertEquals(List.of("hello from ", "bye").size(), (int) logs.out().lines().count(), logs.out());
        assertTrue(logs.out().startsWith("hello from hello-"), logs.out());
        CliRun tail = cli("logs", id, "greet", "--tail", "1");
        assertEquals("bye\n", tail.out(), tail.err());
        assertTrue(requests.stream().anyMatch(r -> r.contains("/log?") && r.contains("&logOptions.tailLines=1")),
                requests.toString());

        CliRun stop = cli("stop", again.runId(), "--message", "enough");
        assertEquals(0, stop.code(), stop.err());
        assertEquals("enough", bodies.get("PUT workflows/stop").path("message").asText());
        assertEquals(0, cli("terminate", again.runId()).code());
    }

    @Test
    void schedulesAreListedSuspendedResumedAndDeletedThroughTheServer() throws IOException {
        CliRun none = cli("schedules", "--argo-server", url, "-n", NS);
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().startsWith("no schedules in namespace argo: "), none.out());
        assertEquals(0, cli("schedule", hello(), "--cron", "0 3 * * *", "-p", "name=team", "--argo-server", url, "-n", NS)
                .code());
        String sweep = SharedData.projectDir().resolve("examples/sweep/sweep.pipe").toString();
        assertEquals(0, cli("schedule", sweep, "--cron", "@daily", "--argo-server", url, "-n", NS).code());
        objects.get("cron-workflows/hello").putObject("status").put("lastScheduledTime", "2026-01-02T03:00:00Z");

        CliRun listed = cli("schedules", "--argo-server", url, "-n", NS);
        assertEquals(0, listed.code(), listed.err());
        List<String> lines = listed.out().lines().toList();
        assertEquals(3, lines.size(), listed.out());
        assertTrue(lines.get(1).matches("hello +hello +0 3 \\* \\* \\* +no +2026-01-02T03:00:00Z +0 +name=team"), lines.get(1));
        assertTrue(lines.get(2).matches("sweep +sweep +@daily +no +- +0 +rates=.*"), lines.get(2));
        assertTrue(requests.contains("GET /api/v1/cron-workflows/argo?listOptions.labelSelector=freestone.dev%2Fpipeline"),
                requests.toString());
        JsonNode rows = JSON.readTree(cli("schedules", "--argo-server", url, "-n", NS, "--output", "json").out());
        assertEquals(List.of("hello", "sweep"), List.of(rows.get(0).path("name").asText(), rows.get(1).path("name").asText()));

        CliRun suspended = cli("schedules", "--suspend", "hello", "--argo-server", url, "-n", NS);
        assertEquals(0, suspended.code(), suspended.err());
        assertTrue(requests.contains("PUT /api/v1/cron-workflows/argo/hello/suspend"), requests.toString());
        assertEquals("{\"name\":\"hello\",\"namespace\":\"argo\"}", bodies.get("PUT cron-workflows/suspend").toString());
        assertTrue(objects.get("cron-workflows/hello").path("spec").path("suspend").asBoolean());
        assertTrue(cli("schedules", "--argo-server", url, "-n", NS).out().lines().toList().get(1).matches("hello .* yes .*"));
        assertEquals(0, cli("schedules", "--resume", "hello", "--argo-server", url, "-n", NS).code());
        assertTrue(requests.contains("PUT /api/v1/cron-workflows/argo/hello/resume"), requests.toString());
        assertFalse(objects.get("cron-workflows/hello").path("spec").path("suspend").asBoolean(true));

        CliRun deleted = cli("schedules", "--delete", "sweep", "--argo-server", url, "-n", NS);
        assertEquals("deleted schedule argo/sweep\n", deleted.out(), deleted.err());
        assertTrue(requests.contains("DELETE /api/v1/cron-workflows/argo/sweep"), requests.toString());
        CliRun again = cli("schedules", "--delete", "sweep", "--argo-server", url, "-n", NS);
        assertEquals(1, again.code());
        assertEquals("error: no schedule `sweep` in namespace argo\n  = help: the schedules in namespace argo are: hello\n",
                again.err());
        assertTrue(cli("schedules", "--argo-server", url).out().startsWith("no schedules in namespace default: "));

        forceStatus = 403;
        CliRun forbidden = cli("schedules", "--suspend", "hello", "--argo-server", url, "-n", NS);
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().startsWith("error: the token from ARGO_TOKEN may not suspend CronWorkflow argo/hello"
                + " (403 Forbidden)"), forbidden.err());
        forceStatus = 0;
        CliRun unreachable = cli("schedules", "--argo-server", "http://127.0.0.1:9", "-n", NS);
        assertEquals(1, unreachable.code());
        assertTrue(unreachable.err().startsWith("error: cannot reach the Argo Server at http://127.0.0.1:9 to list"
                + " CronWorkflows in namespace argo: "), unreachable.err());
    }

    @Test
    void theTokenIsNamedByWhereItCameFromNeverShown() {
        env.put("ARGO_TOKEN", TOKEN + "-expired");
        CliRun fromEnv = cli("submit", hello(), "--argo-server", url);
        assertEquals(1, fromEnv.code());
        assertTrue(fromEnv.err().startsWith("error: ") && fromEnv.err().contains("token from ARGO_TOKEN"), fromEnv.err());
        assertTrue(fromEnv.err().contains("\n  = help: "), fromEnv.err());
        assertFalse(fromEnv.err().contains("-expired"), fromEnv.err());

        CliRun fromFlag = cli("submit", hello(), "--argo-server", url, "--token", "not-" + TOKEN);
        assertEquals(1, fromFlag.code());
        assertTrue(fromFlag.err().contains("token from --token"), fromFlag.err());
        assertFalse(fromFlag.err().contains("not-"), fromFlag.err());

        env.put("ARGO_TOKEN", TOKEN);
        forceStatus = 403;
        CliRun forbidden = cli("submit", hello(), "--argo-server", url);
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().startsWith("error: the token from ARGO_TOKEN may not create Workflow default/"), forbidden.err());
        forceStatus = 0;

        CliRun insecure = cli("submit", hello(), "--argo-server", url + "/", "--insecure", "--wait", "--progress", "none");
        assertEquals(0, insecure.code(), insecure.err());
        assertTrue(insecure.err().startsWith("warning: TLS verification for the Argo Server"), insecure.err());

        hold = true;
        String pending = cli("submit", hello(), "--argo-server", url).runId();
        CliRun still = cli("watch", pending, "--timeout", "1", "--progress", "none");
        assertEquals(1, still.code());
        assertTrue(still.out().startsWith("Pending  run " + pending + "  still going after 1s"), still.out());
        assertTrue(still.err().contains("`freestone watch " + pending + "` follows it again"), still.err());

        CliRun noNamespace = cli("submit", hello(), "--argo-server", url, "-n", "ml-team");
        assertEquals(1, noNamespace.code());
        assertEquals("error: namespace ml-team does not exist\n  = help: create it (`kubectl create namespace ml-team`)"
                + " or choose another with --namespace\n", noNamespace.err());
        admissionDenial = "admission webhook \"validate.kyverno.svc-fail\" denied the request: resource Workflow/argo/"
                + " was blocked due to the following policies require-team-label: team label is required";
        CliRun denied = cli("submit", hello(), "--argo-server", url, "-n", NS);
        assertEquals(1, denied.code());
        assertTrue(denied.err().startsWith("error: an admission policy of the cluster refused to create Workflow argo/hello-*:"
                + " admission webhook \"validate.kyverno.svc-fail\" denied the request: "), denied.err());
        assertTrue(denied.err().endsWith("\n  = help: the cluster's policy decides this: change the pipeline (or the"
                + " submit flags) to meet it, or ask the cluster's administrators\n"), denied.err());
        // Argo's own validation names the field: not a schema older than Argo v4.1
        admissionDenial = "templates.say.container.image: Required value";
        CliRun invalid = cli("submit", hello(), "--argo-server", url, "-n", NS);
        assertEquals(1, invalid.code());
        assertEquals("error: the Argo Server at " + url + " rejected the request to create Workflow argo/hello-*:"
                + " templates.say.container.image: Required value\n  = help: Argo's validation refused the field it names,"
                + " which Freestone's own checks let through: `freestone compile` shows the manifest (`argo lint` checks it"
                + " the same way); please report it with the pipeline\n", invalid.err());
        // a field the server's Argo does not know: that one is an older Argo
        admissionDenial = "json: unknown field \"podSpecPatch2\"";
        CliRun older = cli("submit", hello(), "--argo-server", url, "-n", NS);
        assertEquals(1, older.code());
        assertTrue(older.err().endsWith("\n  = help: the server's Argo may be older than the fields Freestone uses"
                + " (it targets Argo v4.1)\n"), older.err());
        admissionDenial = null;

        // behind a proxy that holds the event stream's headers back, --timeout still ends the watch on time
        silentEvents = true;
        long started = System.nanoTime();
        CliRun held = cli("watch", pending, "--timeout", "2", "--progress", "none");
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        silentEvents = false;
        assertEquals(1, held.code(), held.err());
        assertTrue(held.out().startsWith("Pending  run " + pending + "  still going after 2s"), held.out());
        assertTrue(seconds < 8, "a watch of 2 s took " + seconds + " s");

        CliRun missing = cli("watch", "run-00000000-000000-0000", "--argo-server", url);
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: "), missing.err());
    }
}
