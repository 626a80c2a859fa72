package dev.freestone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API with Argo's resources (fabric8's mock server in CRUD mode), a kubeconfig file
 * that points at it with a bearer token, and a simulated controller that moves every new Workflow
 * to {@code Succeeded} ({@link SimulatedArgoController}) and creates its pods, whose logs the API
 * serves. For tests that drive the CLI as a user would: {@code KUBECONFIG=<kubeconfig()>}.
 */
public final class MockArgoCluster implements AutoCloseable {
    public static final String NAMESPACE = "argo";
    public static final String CONTEXT = "test";
    public static final String USER = "alice";
    public static final String TOKEN = "k8s-bearer-cli-7c6b5a4f3e2d1c0b";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held so that the level sticks: the mock server logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public static final ResourceDefinitionContext WORKFLOWS = context("Workflow", "workflows");
    public static final ResourceDefinitionContext TEMPLATES = context("WorkflowTemplate", "workflowtemplates");
    public static final ResourceDefinitionContext CRONS = context("CronWorkflow", "cronworkflows");

    private final Dispatcher dispatcher = new Dispatcher();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-argo-controller");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    /** Workflows the controller leaves Running (for stop and terminate). */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean holdAll;
    /** Held Workflows let go by {@link #release}. */
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    /**
     * The CRUD dispatcher plus what a real API server does besides: faults (every request refused
     * with 401/403, Argo's resources missing, a create rejected with a given body, watches that drop
     * or expire with {@code 410 Gone}, a garbled log stream), and pod logs.
     */
    public static final class Dispatcher extends KubernetesCrudDispatcher {
        /**
         * Faults for the next watches: {@code drop} closes the stream, {@code gone} sends a 410 ERROR first,
         * {@code gone-at-start} answers the watch request itself 410 (no stream),
         * {@code outage} closes it and from then on answers every request 503 (until {@link #failAllWith} is reset),
         * {@code stall} holds the answer back for ten minutes (a watch that never starts).
         */
        public final Deque<String> watchFaults = new ConcurrentLinkedDeque<>();
        public final AtomicInteger watches = new AtomicInteger();
        /** Reads of one pod (not of its log). */
        public final AtomicInteger podReads = new AtomicInteger();
        public volatile int failAllWith;
        /** Lists of this resource (its plural, e.g. {@code cronworkflows}) are answered 403: a role that may not list them. */
        public volatile String forbidListOf;
        public volatile boolean argoMissing;
        /** The body of a {@link #createFailureCode} answer to the next Workflow creates (null: none). */
        public volatile String createFailure;
        public volatile int createFailureCode = 422;
        /**
         * The next this many Workflow creates are stored, then answered 500, as an API server does when etcd
         * wrote the object but the answer timed out: a client that retries the POST may create a second one.
         */
        public final AtomicInteger storeThenFailCreates = new AtomicInteger();
        /** Followed pod logs are answered with two Content-Length headers, which no HTTP client can read. */
        public volatile boolean garbledLogStreams;
        /** What the simulated pods write for their output parameters (see {@link SimulatedArgoController}). */
        public volatile SimulatedArgoController.PodOutputs podOutputs = SimulatedArgoController.PodOutputs.NONE;
        /**
         * How a Workflow ends: an edit of the status the simulated controller writes when every step succeeds (a
         * step failed, its dependents Omitted, a branch Skipped), made as the controller would write it.
         */
        public volatile java.util.function.UnaryOperator<com.fasterxml.jackson.databind.node.ObjectNode> endAs =
                java.util.function.UnaryOperator.identity();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if (failAllWith != 0) {
                // a careless server echoing the request's credential: nobody may show it
                String echoed = String.valueOf(request.getHeader("Authorization"));
                return status(failAllWith, failAllWith == 401 ? "Unauthorized" : failAllWith == 403 ? "Forbidden"
                        : "ServiceUnavailable",
                        "credential " + echoed + " rejected");
            }
            if (forbidListOf != null && "GET".equals(request.getMethod())
                    && path.replaceFirst("\\?.*", "").endsWith("/" + forbidListOf)) {
                return status(403, "Forbidden", forbidListOf + " is forbidden: User \"alice\" cannot list resource \""
                        + forbidListOf + "\"");
            }
            if (argoMissing && path.startsWith("/apis/argoproj.io/")) {
                return status(404, "NotFound", "the server could not find the requested resource");
            }
            if (createFailure != null && "POST".equals(request.getMethod()) && path.contains("/workflows")) {
                return new MockResponse().setResponseCode(createFailureCode).setBody(createFailure);
            }
            if ("POST".equals(request.getMethod()) && path.endsWith("/workflows")
                    && storeThenFailCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                MockResponse stored = super.dispatch(request);
                return stored.getStatus().contains(" 201") || stored.getStatus().contains(" 200")
                        ? status(500, "InternalError", "Internal error occurred: the server timed out writing the answer")
                        : stored;
            }
            if (path.contains("/workflows") && path.contains("watch=true")) {
                watches.incrementAndGet();
                String fault = watchFaults.poll();
                if ("outage".equals(fault)) {
                    failAllWith = 503;
                }
                if ("gone-at-start".equals(fault)) {
                    return status(410, "Expired", "too old resource version: 1 (99)");
                }
                if ("stall".equals(fault)) {
                    return new MockResponse().setResponseCode(200).setBody("{}").setBodyDelay(10, TimeUnit.MINUTES);
                }
                if (fault != null) {
                    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket ws, Response response) {
                            if ("gone".equals(fault)) {
                                ws.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                        + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (99)\","
                                        + "\"reason\":\"Expired\",\"code\":410}}");
                            }
                            ws.close(1000, fault);
                        }
                    });
                }
            }
            if ("GET".equals(request.getMethod()) && path.matches("/api/v1/namespaces/[^/]+/pods/[^/?]+")) {
                podReads.incrementAndGet();
            }
            if (path.matches("/api/v1/namespaces/[^/]+/pods/[^/?]+/log.*")) {
                String pod = path.replaceAll("^/api/v1/namespaces/[^/]+/pods/([^/?]+)/log.*$", "$1");
                List<String> lines = List.of("hello from " + pod + "\n", "bye from " + pod + "\n");
                // as the API server: `tailLines` keeps the last lines
                java.util.regex.Matcher tail = java.util.regex.Pattern.compile("[?&]tailLines=(\\d+)").matcher(path);
                int keep = tail.find() ? Math.min(lines.size(), Integer.parseInt(tail.group(1))) : lines.size();
                MockResponse log = new MockResponse().setResponseCode(200)
                        .setBody(String.join("", lines.subList(lines.size() - keep, lines.size())));
                return garbledLogStreams && path.contains("follow=true") ? log.setHeader("Content-Length", 100000) : log;
            }
            return super.dispatch(request);
        }

        private static MockResponse status(int code, String reason, String message) {
            return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"message\":\"" + message + "\",\"reason\":\"" + reason
                    + "\",\"details\":{},\"code\":" + code + "}");
        }
    }

    public MockArgoCluster(Path dir) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        KubernetesClient plain = server.createClient();
        String url = plain.getConfiguration().getMasterUrl();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withOauthToken(TOKEN).withNamespace(NAMESPACE).withRequestRetryBackoffLimit(0).build()).build();
        plain.close();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + url,
                "contexts:",
                "- name: " + CONTEXT,
                "  context:",
                "    cluster: mock",
                "    user: " + USER,
                "    namespace: " + NAMESPACE,
                "current-context: " + CONTEXT,
                "users:",
                "- name: " + USER,
                "  user:",
                "    token: " + TOKEN,
                ""));
        controller.scheduleWithFixedDelay(this::reconcile, 20, 20, TimeUnit.MILLISECONDS);
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public KubernetesClient client() {
        return client;
    }

    /** From now on, new Workflows stay Running until released (or stopped). */
    public void holdNewWorkflows(boolean hold) {
        holdAll = hold;
    }

    /** A Workflow held Running runs to its end now, as the controller runs a new one. */
    public void release(String name) {
        released.add(name);
        handled.remove(name);
    }

    /** The Workflows, as the API stores them. */
    public List<JsonNode> workflows() {
        List<JsonNode> out = new ArrayList<>();
        for (GenericKubernetesResource r : client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).list()
                .getItems()) {
            out.add(JSON.valueToTree(r));
        }
        return out;
    }

    public Optional<JsonNode> get(ResourceDefinitionContext kind, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(kind).inNamespace(NAMESPACE).withName(name).get();
        return Optional.ofNullable(r).map(JSON::valueToTree);
    }

    /** One round of the controller: new Workflows finish (or start running, when held); shut down ones stop. */
    private void reconcile() {
        try {
            if (dispatcher.failAllWith != 0 || dispatcher.argoMissing) {
                return;
            }
            for (GenericKubernetesResource r : client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).list()
                    .getItems()) {
                JsonNode wf = JSON.valueToTree(r);
                String name = r.getMetadata().getName();
                String phase = wf.path("status").path("phase").asText("");
                String shutdown = wf.path("spec").path("shutdown").asText("");
                if (!shutdown.isEmpty() && phase.equals("Running")) {
                    Map<String, Object> status = new HashMap<>();
                    status.put("phase", "Failed");
                    status.put("startedAt", "2026-01-01T10:00:00Z");
                    status.put("finishedAt", "2026-01-01T10:00:05Z");
                    status.put("message", "Stopped with strategy '" + shutdown + "'");
                    setStatus(name, status);
                    continue;
                }
                if (!handled.add(name)) {
                    continue;
                }
                if (holdAll && !released.contains(name)) {
                    held.add(name);
                    setStatus(name, Map.of("phase", "Running", "startedAt", "2026-01-01T10:00:00Z"));
                    continue;
                }
                SimulatedArgoController.Outcome outcome = SimulatedArgoController.succeeded(wf,
                        n -> get(TEMPLATES, n), dispatcher.podOutputs);
                for (String pod : outcome.pods()) {
                    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pod)
                            .endMetadata().withNewStatus().withPhase("Succeeded").endStatus().build()).createOr(p -> p.update());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> status = JSON.convertValue(dispatcher.endAs.apply(outcome.status()), Map.class);
                setStatus(name, status);
            }
        } catch (RuntimeException e) {
            // the next round tries again (a test may be breaking the API on purpose)
        }
    }

    private void setStatus(String name, Map<String, Object> status) {
        GenericKubernetesResource r = client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).withName(name).get();
        r.setAdditionalProperty("status", status);
        client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).resource(r).update();
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("argoproj.io").withVersion("v1alpha1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    @Override
    public void close() throws InterruptedException {
        controller.shutdownNow();
        controller.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
        server.destroy();
    }
}
