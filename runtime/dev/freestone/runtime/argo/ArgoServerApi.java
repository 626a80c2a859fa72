package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.ArgoError.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Argo through the Argo Server's REST API (grpc-gateway, Swagger in Argo's {@code
 * api/openapi-spec/swagger.json}) on the JDK HTTP client, with a bearer token. TLS is verified
 * unless {@link ArgoTarget.ArgoServer#insecure()}.
 */
final class ArgoServerApi implements ArgoApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String namespace;
    private final Optional<BearerToken> token;
    private final HttpClient http;
    private final Secrets secrets;

    ArgoServerApi(ArgoTarget.ArgoServer target) {
        this.base = URI.create(target.baseUrl().toString().replaceAll("/+$", ""));
        this.namespace = target.namespace().isBlank() ? "default" : target.namespace();
        this.token = target.token();
        this.secrets = token.map(t -> Secrets.of(t.value(), t.header())).orElse(Secrets.NONE);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (target.insecure()) {
            builder.sslContext(trustingEverything());
        }
        this.http = builder.build();
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String credential() {
        return token.map(BearerToken::source).orElse("no token");
    }

    @Override
    public ObjectNode create(ArgoKind kind, String ns, ObjectNode manifest) {
        ObjectNode body = ArgoJson.MAPPER.createObjectNode();
        body.put("namespace", ns);
        body.set(kind.createField, manifest);
        String name = ArgoJson.name(manifest);
        return send("create " + kind + " " + ns + "/" + ArgoJson.shownName(manifest), "POST",
                "/api/v1/" + kind.serverPath + "/" + enc(ns), Optional.of(body))
                .orElseThrow(() -> notFound(kind, ns, name));
    }

    @Override
    public Optional<ObjectNode> get(ArgoKind kind, String ns, String name) {
        return send("read " + kind + " " + ns + "/" + name, "GET",
                "/api/v1/" + kind.serverPath + "/" + enc(ns) + "/" + enc(name), Optional.empty());
    }

    @Override
    public ObjectNode replace(ArgoKind kind, String ns, ObjectNode manifest) {
        String name = ArgoJson.name(manifest);
        if (kind == ArgoKind.Workflow) {
            throw new ArgoException(Kind.Unsupported, "the Argo Server cannot replace a Workflow",
                    "submit a new run instead");
        }
        ObjectNode body = ArgoJson.MAPPER.createObjectNode();
        body.put("namespace", ns);
        body.set(kind.createField, manifest);
        return send("replace " + kind + " " + ns + "/" + name, "PUT",
                "/api/v1/" + kind.serverPath + "/" + enc(ns) + "/" + enc(name), Optional.of(body))
                .orElseThrow(() -> notFound(kind, ns, name));
    }

    @Override
    public java.util.List<ObjectNode> list(ArgoKind kind, String ns, String label) {
        java.util.List<ObjectNode> out = new java.util.ArrayList<>();
        send("list " + kind + "s in namespace " + ns, "GET", "/api/v1/" + kind.serverPath + "/" + enc(ns)
                + "?listOptions.labelSelector=" + enc(label), Optional.empty())
                // grpc-gateway leaves `items` out of an empty list
                .ifPresent(list -> list.path("items").forEach(item -> {
                    if (item instanceof ObjectNode o) {
                        out.add(o);
                    }
                }));
        return out;
    }

    @Override
    public boolean delete(ArgoKind kind, String ns, String name) {
        return send("delete " + kind + " " + ns + "/" + name, "DELETE",
                "/api/v1/" + kind.serverPath + "/" + enc(ns) + "/" + enc(name), Optional.empty()).isPresent();
    }

    @Override
    public boolean suspendCron(String ns, String name, boolean suspend) {
        String action = suspend ? "suspend" : "resume";
        return send(action + " CronWorkflow " + ns + "/" + name, "PUT", "/api/v1/" + ArgoKind.CronWorkflow.serverPath
                + "/" + enc(ns) + "/" + enc(name) + "/" + action, Optional.of(nameBody(ns, name))).isPresent();
    }

    @Override
    public WorkflowWatch watchWorkflow(String ns, String name, String resourceVersion) {
        String path = "/api/v1/workflow-events/" + enc(ns) + "?listOptions.fieldSelector="
                + enc("metadata.name=" + name) + "&listOptions.resourceVersion=" + enc(resourceVersion);
        String doing = "watch Workflow " + ns + "/" + name;
        HttpRequest request = request("GET", path, Optional.empty(), "text/event-stream").timeout(Duration.ofDays(1))
                .build();
        CompletableFuture<HttpResponse<InputStream>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = answer.get(HEADERS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw failure(doing, response.statusCode(), drain(response.body()), ArgoKind.Workflow, ns, name);
            }
        } catch (TimeoutException e) {
            // no headers yet (a proxy that holds the stream back until its first event): the stream's thread
            // waits for them, and the follower's own limits (--timeout, the resync) apply meanwhile
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? unreachable(doing, io)
                    : new ArgoException(Kind.Unreachable, "cannot " + doing + ": "
                            + secrets.redact(String.valueOf(e.getCause())), "run it again");
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw interrupted(doing);
        }
        EventStream stream = new EventStream(answer);
        Thread reader = new Thread(() -> stream.read(doing, ns, name), "argo-server-watch-" + name);
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /** How long opening a watch waits for the answer's headers before it goes on without them. */
    private static final Duration HEADERS_WAIT = Duration.ofSeconds(1);

    /** One watch's event stream, whose answer may still be on its way; closing it drops the answer. */
    private final class EventStream extends WorkflowWatch {
        private final CompletableFuture<HttpResponse<InputStream>> answer;
        private volatile boolean closed;
        private volatile InputStream body;

        EventStream(CompletableFuture<HttpResponse<InputStream>> answer) {
            this.answer = answer;
        }

        /** Waits for the answer and turns it into signals (on the stream's own thread). */
        void read(String doing, String ns, String name) {
            HttpResponse<InputStream> response;
            try {
                response = answer.join();
            } catch (CancellationException | CompletionException e) {
                if (!closed) {
                    offer(new WatchSignal.Dropped(secrets.redact(String.valueOf(e.getCause()))));
                }
                return;
            }
            body = response.body();
            if (closed) {
                close();
                return;
            }
            if (response.statusCode() != 200) {
                // said for real by the next read of the Workflow, which the follower does on a drop
                offer(new WatchSignal.Dropped(failure(doing, response.statusCode(), drain(body), ArgoKind.Workflow, ns,
                        name).error().message()));
                return;
            }
            pump(body, this);
        }

        @Override
        public void close() {
            closed = true;
            answer.cancel(true);
            InputStream open = body;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // closing a broken stream: nothing left to release
                }
            }
        }
    }

    /** Turns the event stream into signals; the stream's end is always reported. */
    private void pump(InputStream body, WorkflowWatch watch) {
        boolean[] ended = {false};
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            ServerSentEvents.read(lines, payload -> {
                if (ended[0]) {
                    return;
                }
                ObjectNode frame = ArgoJson.parseObject(payload, "an event of the Argo Server");
                if (frame.hasNonNull("error")) {
                    JsonNode error = frame.get("error");
                    String message = secrets.redact(error.path("message").asText(""));
                    int httpCode = error.path("http_code").asInt(0);
                    boolean gone = httpCode == 410 || message.contains("too old resource version")
                            || message.contains("Expired");
                    watch.offer(gone ? new WatchSignal.Gone(message) : new WatchSignal.Dropped(message));
                    ended[0] = true;
                    return;
                }
                JsonNode result = frame.path("result");
                String type = result.path("type").asText("");
                if ("DELETED".equals(type)) {
                    watch.offer(new WatchSignal.Deleted());
                } else if (result.get("object") instanceof ObjectNode object) {
                    watch.offer(new WatchSignal.Changed(object));
                }
            });
        } catch (IOException | UncheckedIOException | ArgoException e) {
            if (!ended[0]) {
                watch.offer(new WatchSignal.Dropped(secrets.redact(String.valueOf(e.getMessage()))));
                ended[0] = true;
            }
        }
        if (!ended[0]) {
            watch.offer(new WatchSignal.Dropped("the Argo Server ended the event stream"));
        }
    }

    @Override
    public Optional<ObjectNode> hydrated(String ns, String name) {
        // the server reads offloaded node status back from its database before answering
        return get(ArgoKind.Workflow, ns, name).filter(wf -> !NodeStatuses.isOffloadedWithoutNodes(wf));
    }

    @Override
    public Optional<String> podProblem(String ns, String podName) {
        return Optional.empty(); // the Argo Server does not show pods; the node's message is what there is
    }

    @Override
    public void logs(String ns, String workflow, String podName, boolean follow, java.util.OptionalInt tail,
                     Consumer<String> lines) {
        String path = "/api/v1/workflows/" + enc(ns) + "/" + enc(workflow) + "/log?podName=" + enc(podName)
                + "&logOptions.container=main" + (follow ? "&logOptions.follow=true" : "")
                + (tail.isPresent() ? "&logOptions.tailLines=" + tail.getAsInt() : "");
        String doing = "read the log of pod " + podName;
        HttpRequest request = request("GET", path, Optional.empty(), "text/event-stream")
                .timeout(follow ? Duration.ofDays(1) : REQUEST_TIMEOUT).build();
        HttpResponse<InputStream> response = exchange(doing, request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw failure(doing, response.statusCode(), drain(response.body()), ArgoKind.Workflow, ns, workflow);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            ServerSentEvents.read(reader, payload -> {
                ObjectNode frame = ArgoJson.parseObject(payload, "a log entry of the Argo Server");
                if (frame.hasNonNull("error")) {
                    throw new ArgoException(Kind.Server, "the Argo Server could not " + doing + ": "
                            + secrets.redact(frame.get("error").path("message").asText("")),
                            "the pod may have been removed by Argo's pod garbage collection; the log may still be"
                                    + " in the artifact repository as `main-logs`");
                }
                String content = frame.path("result").path("content").asText("");
                content.lines().map(secrets::redact).forEach(lines);
            });
        } catch (IOException e) {
            throw unreachable(doing, e);
        }
    }

    @Override
    public void shutdown(String ns, String name, Shutdown how, Optional<String> message) {
        ObjectNode body = nameBody(ns, name);
        if (how == Shutdown.Stop) {
            message.ifPresent(m -> body.put("message", m));
        }
        send(how.name().toLowerCase() + " Workflow " + ns + "/" + name, "PUT", workflowPath(ns, name) + "/"
                + how.name().toLowerCase(), Optional.of(body)).orElseThrow(() -> notFound(ArgoKind.Workflow, ns, name));
    }

    @Override
    public ObjectNode retry(String ns, String name, boolean restartSuccessful, Optional<String> nodeFieldSelector) {
        ObjectNode body = nameBody(ns, name);
        body.put("restartSuccessful", restartSuccessful);
        nodeFieldSelector.ifPresent(s -> body.put("nodeFieldSelector", s));
        return send("retry Workflow " + ns + "/" + name, "PUT", workflowPath(ns, name) + "/retry", Optional.of(body))
                .orElseThrow(() -> notFound(ArgoKind.Workflow, ns, name));
    }

    @Override
    public ObjectNode resubmit(String ns, String name, boolean memoized) {
        ObjectNode body = nameBody(ns, name);
        body.put("memoized", memoized);
        return send("resubmit Workflow " + ns + "/" + name, "PUT", workflowPath(ns, name) + "/resubmit",
                Optional.of(body)).orElseThrow(() -> notFound(ArgoKind.Workflow, ns, name));
    }

    @Override
    public void close() {
        // the JDK client of Java 17 has no close; its threads end with the process
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private static ObjectNode nameBody(String ns, String name) {
        ObjectNode body = ArgoJson.MAPPER.createObjectNode();
        body.put("name", name);
        body.put("namespace", ns);
        return body;
    }

    private static String workflowPath(String ns, String name) {
        return "/api/v1/workflows/" + enc(ns) + "/" + enc(name);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String method, String path, Optional<JsonNode> body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", accept);
        token.ifPresent(t -> b.header("Authorization", t.header()));
        if (body.isPresent()) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(ArgoJson.write(body.get()), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b;
    }

    /** The answer as an object; empty on 404 (the caller decides what missing means). */
    private Optional<ObjectNode> send(String doing, String method, String path, Optional<JsonNode> body) {
        HttpResponse<String> response = exchange(doing, request(method, path, body, "application/json").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int code = response.statusCode();
        if (code == 200) {
            return Optional.of(ArgoJson.parseObject(response.body(), "the Argo Server's answer to " + doing));
        }
        if (code == 404 && grpcError(response.body()).isPresent() && missingNamespace(response.body()).isEmpty()) {
            return Optional.empty();
        }
        throw failure(doing, code, response.body(), null, "", "");
    }

    private <T> HttpResponse<T> exchange(String doing, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(doing, e);
        } catch (InterruptedException e) {
            throw interrupted(doing);
        }
    }

    /** The thread was interrupted while waiting for the server: the flag is kept for the caller. */
    private static ArgoException interrupted(String doing) {
        Thread.currentThread().interrupt();
        return new ArgoException(Kind.Unreachable, "interrupted while trying to " + doing, "run it again");
    }

    private ArgoException unreachable(String doing, IOException e) {
        if (e instanceof SSLHandshakeException) {
            return new ArgoException(Kind.Unreachable, "cannot " + doing + ": the TLS certificate of the Argo Server at "
                    + base + " is not trusted (" + secrets.redact(String.valueOf(e.getMessage())) + ")",
                    "add the server's CA to the Java truststore; --insecure skips the check (unsafe)");
        }
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof HttpTimeoutException ? "timed out" : secrets.redact(String.valueOf(e.getMessage()));
        return new ArgoException(Kind.Unreachable, "cannot reach the Argo Server at " + base + " to " + doing + ": "
                + why, "check the URL and that the server runs (e.g. `kubectl -n argo port-forward svc/argo-server 2746`)");
    }

    /**
     * The namespace of Kubernetes' {@code namespaces "x" not found}, which the server passes on as its
     * 404: said as such, not as a Workflow that "does not exist" or "was deleted".
     */
    private static Optional<String> missingNamespace(String body) {
        Matcher m = MISSING_NAMESPACE.matcher(grpcError(body).map(e -> e.path("message").asText(""))
                .orElse(""));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final Pattern MISSING_NAMESPACE =
            Pattern.compile("^namespaces \"([^\"]+)\" not found");

    private static Optional<JsonNode> grpcError(String body) {
        try {
            JsonNode node = ArgoJson.MAPPER.readTree(body);
            return node != null && node.isObject() && node.has("message") ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private ArgoException failure(String doing, int code, String body, ArgoKind kind, String ns, String name) {
        Optional<JsonNode> error = grpcError(body);
        String said = secrets.redact(error.map(e -> e.path("message").asText("")).orElse(""));
        String where = "the Argo Server at " + base;
        if (ArgoException.isTooLarge(code, said)) {
            return ArgoException.tooLarge(doing, said);
        }
        return switch (code) {
            case 401 -> new ArgoException(Kind.Unauthorized, token.isPresent()
                    ? where + " did not accept the " + credential() + " (401 Unauthorized) to " + doing
                    : where + " requires a token (401 Unauthorized) to " + doing + " and none was given",
                    "pass a current token with --token or ARGO_TOKEN (e.g. from `argo auth token`)");
            case 403 -> new ArgoException(Kind.Forbidden, "the " + credential() + " may not " + doing
                    + " (403 Forbidden)" + (said.isEmpty() ? "" : ": " + said),
                    "ask for a Role that allows it in that namespace, or choose another namespace with --namespace");
            case 404 -> missingNamespace(body).map(ArgoException::namespaceMissing).orElseGet(() -> error.isEmpty()
                    ? new ArgoException(Kind.Server, "no Argo Server API at " + base + " (404 when trying to " + doing + ")",
                            "check the URL: it is the server's root, e.g. https://localhost:2746")
                    : notFound(kind == null ? ArgoKind.Workflow : kind, ns, name));
            case 409 -> new ArgoException(Kind.Conflict, "cannot " + doing + ": " + said,
                    "choose another name, or delete the existing one first");
            case 400, 412, 422 -> ArgoException.isAdmissionDenial(said) ? ArgoException.rejectedByPolicy(doing, said)
                    : ArgoException.invalidSpec(where + " rejected the request to " + doing, said,
                    "the server's Argo may be older than the fields Freestone uses (it targets Argo v4.1)");
            default -> new ArgoException(code >= 500 ? Kind.Server : Kind.Invalid, where + " failed to " + doing
                    + " (" + code + ")" + (said.isEmpty() ? "" : ": " + said),
                    "try again; if it persists, check the Argo Server's log");
        };
    }

    private static ArgoException notFound(ArgoKind kind, String ns, String name) {
        return new ArgoException(Kind.NotFound, kind + " " + ns + "/" + name + " does not exist",
                "it may have been deleted (a TTL strategy deletes finished Workflows); list them with `argo list -n "
                        + ns + "`");
    }

    private static String drain(InputStream body) {
        try (InputStream in = body) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Trusts any certificate and any host name: only behind an explicit --insecure. */
    private static SSLContext trustingEverything() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }
}
