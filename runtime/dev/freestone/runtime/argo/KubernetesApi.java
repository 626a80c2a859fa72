package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.runtime.argo.ArgoError.Kind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;

/**
 * Argo through the Kubernetes API with fabric8: the {@code argoproj.io/v1alpha1} resources are
 * addressed through explicit resource definitions (no API discovery), as generic resources that
 * cross into Jackson 2 as JSON text.
 */
final class KubernetesApi implements ArgoApi {
    private static final Map<ArgoKind, ResourceDefinitionContext> CONTEXTS = new EnumMap<>(ArgoKind.class);

    static {
        for (ArgoKind kind : ArgoKind.values()) {
            CONTEXTS.put(kind, new ResourceDefinitionContext.Builder()
                    .withGroup(ArgoKind.GROUP).withVersion(ArgoKind.VERSION)
                    .withKind(kind.name()).withPlural(kind.plural).withNamespaced(true).build());
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String credential;
    private final Secrets secrets;
    private final Optional<ArgoApi> argoServer;

    KubernetesApi(KubernetesClient client, String namespace, String credential, Secrets secrets,
            Optional<ArgoApi> argoServer) {
        this.client = client;
        this.namespace = namespace;
        this.credential = credential;
        this.secrets = secrets;
        this.argoServer = argoServer;
    }

    /** Reads kubeconfig (or the in-cluster service account) the way kubectl does. */
    static KubernetesApi connect(ArgoTarget.Kubernetes target, Optional<ArgoApi> argoServer) {
        Config config;
        if (target.kubeconfig().isPresent() && !java.nio.file.Files.isRegularFile(target.kubeconfig().get())) {
            throw new ArgoException(Kind.NotFound, (java.nio.file.Files.exists(target.kubeconfig().get())
                    ? target.kubeconfig().get() + " is not a regular file, so not a kubeconfig"
                    : "no kubeconfig file at " + target.kubeconfig().get()),
                    "check --kubeconfig or KUBECONFIG (kubectl config view shows what kubectl uses)");
        }
        // before fabric8 reads it: a cluster without a server is a NullPointerException in there
        target.kubeconfig().ifPresent(file -> requireACluster(file, target.context()));
        try {
            config = target.kubeconfig().isPresent()
                    ? Config.fromKubeconfig(target.context().orElse(null), target.kubeconfig().get().toFile())
                    : Config.autoConfigure(target.context().orElse(null));
        } catch (RuntimeException e) {
            throw new ArgoException(Kind.Unreachable, "cannot read the Kubernetes configuration"
                    + target.kubeconfig().map(f -> " in " + f).orElse("") + ": " + unreadable(e),
                    target.kubeconfig().isPresent()
                            ? "fix the file, or name another with --kubeconfig or KUBECONFIG (kubectl config view)"
                            : "check KUBECONFIG or ~/.kube/config (kubectl config view)");
        }
        if (target.kubeconfig().isEmpty() && config.getCurrentContext() == null && System.getenv("KUBERNETES_SERVICE_HOST") == null
                && config.getMasterUrl() != null && config.getMasterUrl().contains("kubernetes.default.svc")) {
            // fabric8's last resort is the in-cluster address; outside a pod it names no cluster, and
            // "cannot reach ... the pod's service account" would send a user on a laptop looking for a pod
            throw new ArgoException(Kind.NotFound, "no Kubernetes cluster is configured: no --kubeconfig, "
                    // `KUBECONFIG=:` (a list of empty paths) is set, yet names nothing
                    + (System.getenv("KUBECONFIG") == null ? "KUBECONFIG is not set," : "KUBECONFIG names no file that exists,")
                    + " ~/.kube/config does not exist, and this is not a pod with a service account",
                    "point --kubeconfig or KUBECONFIG at the cluster's kubeconfig (`kubectl config view` shows kubectl's),"
                            + " or talk to an Argo Server with --argo-server URL");
        }
        if (target.context().isPresent()) {
            String wanted = target.context().get();
            boolean known = config.getContexts() != null
                    && config.getContexts().stream().anyMatch(c -> wanted.equals(c.getName()));
            if (!known) {
                throw new ArgoException(Kind.NotFound, "no context `" + wanted + "` in the kubeconfig",
                        "list the contexts with `kubectl config get-contexts`");
            }
        }
        String ns = target.namespace().isBlank()
                ? Optional.ofNullable(config.getNamespace()).filter(n -> !n.isBlank()).orElse("default")
                : target.namespace();
        // a token from an exec plugin (GKE, EKS, AKS) or the pod's service account is the "auto" one
        Secrets secrets = Secrets.of(config.getOauthToken(), config.getAutoOAuthToken(), config.getPassword(),
                config.getClientKeyData(), config.getClientKeyPassphrase(), config.getProxyPassword());
        if (System.getProperty(Config.KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT_SYSTEM_PROPERTY) == null
                && System.getenv("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT") == null) {
            // fabric8 retries a failed request 10 times with a doubling pause: 23 s before a closed port is
            // said to be closed. Three retries (0.7 s) ride out a blip; watches are re-listed by the follower.
            config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        }
        KubernetesClient client;
        try {
            client = new KubernetesClientBuilder().withConfig(config).build();
        } catch (RuntimeException e) {
            // the HTTP client's TLS set-up reads the client certificate, its key and the cluster's CA here
            throw new ArgoException(Kind.Unreachable, "cannot set up the client certificate or TLS of " + describe(config)
                    + ": " + rootCause(e, secrets), "check client-certificate(-data), client-key(-data) and"
                    + " certificate-authority(-data) of that context's user and cluster (`kubectl config view`)");
        }
        return new KubernetesApi(client, ns, describe(config), secrets, argoServer);
    }

    /**
     * A kubeconfig file the user named (flag, KUBECONFIG or the run's record) that gives no cluster to
     * talk to: no current context, one that is not in the file, no clusters, a context whose cluster
     * is missing or has no server. fabric8 then quietly falls back to the in-cluster address, and the
     * error would blame the pod's service account for a file's gap; that gap is said instead. Without
     * a named file the fallback is right: no ~/.kube/config is how a pod finds its cluster.
     */
    private static void requireACluster(Path file, Optional<String> context) {
        JsonNode kc;
        try {
            kc = new YAMLMapper().readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            return; // not YAML: fabric8's reading says so, without quoting the file
        }
        if (kc == null || !kc.isObject()) {
            return;
        }
        String view = "`kubectl config view --kubeconfig " + file + "` shows it";
        List<String> contexts = names(kc.path("contexts"));
        String name = context.orElse(kc.path("current-context").asText(""));
        if (name.isBlank()) {
            throw new ArgoException(Kind.NotFound, "the kubeconfig " + file + " names no current context",
                    contexts.isEmpty()
                            ? "it has no contexts either; " + view + ", and `kubectl config set-context` adds one"
                            : "pick one with `kubectl --kubeconfig " + file + " config use-context NAME` or --context NAME;"
                                    + " its contexts are: " + String.join(", ", contexts));
        }
        Optional<JsonNode> ctx = named(kc.path("contexts"), name);
        if (ctx.isEmpty() && context.isPresent()) {
            return; // an unknown --context is said below, as for any kubeconfig
        }
        if (ctx.isEmpty()) {
            throw new ArgoException(Kind.NotFound, "the current context `" + name + "` of the kubeconfig " + file
                    + " is not in it", contexts.isEmpty() ? "it has no contexts; " + view
                    : "pick one with `kubectl --kubeconfig " + file + " config use-context NAME` or --context NAME;"
                            + " its contexts are: " + String.join(", ", contexts));
        }
        List<String> clusters = names(kc.path("clusters"));
        if (clusters.isEmpty()) {
            throw new ArgoException(Kind.NotFound, "the kubeconfig " + file + " has no clusters",
                    view + "; `kubectl --kubeconfig " + file + " config set-cluster NAME --server URL` adds one");
        }
        String cluster = ctx.get().path("context").path("cluster").asText("");
        if (!clusters.contains(cluster)) {
            throw new ArgoException(Kind.NotFound, "context `" + name + "` of the kubeconfig " + file
                    + (cluster.isBlank() ? " names no cluster" : " names cluster `" + cluster + "`, which is not in it"),
                    "its clusters are: " + String.join(", ", clusters) + "; `kubectl --kubeconfig " + file
                            + " config set-context " + name + " --cluster NAME` sets one");
        }
        if (named(kc.path("clusters"), cluster).orElseThrow().path("cluster").path("server").asText("").isBlank()) {
            throw new ArgoException(Kind.NotFound, "cluster `" + cluster + "` of the kubeconfig " + file + " has no server",
                    "`kubectl --kubeconfig " + file + " config set-cluster " + cluster + " --server URL` sets it");
        }
    }

    /** The {@code name}s of a kubeconfig list ({@code contexts}, {@code clusters}), in the file's order. */
    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> {
            String n = e.path("name").asText("");
            if (!n.isBlank()) {
                out.add(n);
            }
        });
        return out;
    }

    private static Optional<JsonNode> named(JsonNode list, String name) {
        for (JsonNode e : list) {
            if (name.equals(e.path("name").asText(""))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** How often a failed request is retried, unless the user set fabric8's own setting. */
    static final int REQUEST_RETRIES = 3;

    /**
     * Why the kubeconfig could not be read, without quoting it: the YAML parser's message shows the
     * offending line and a mapping error the offending value, and either may be the user's token.
     */
    private static String unreadable(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException yaml) {
                return "not valid YAML: " + yaml.getProblem() + yaml.getProblemMark()
                        .map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("");
            }
            if (t instanceof JacksonException) {
                return "not a kubeconfig (a YAML map with clusters, contexts and users)";
            }
            if (t instanceof java.nio.charset.CharacterCodingException) {
                return "not UTF-8 text, so not a kubeconfig";
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** The credential as a user recognizes it: context and user names, never their secrets. */
    static String describe(Config config) {
        NamedContext current = config.getCurrentContext();
        if (current != null && current.getContext() != null) {
            String user = current.getContext().getUser();
            return "kubeconfig context `" + current.getName() + "`"
                    + (user == null || user.isBlank() ? "" : " (user `" + user + "`)");
        }
        if (config.getMasterUrl() != null && config.getMasterUrl().contains("kubernetes.default.svc")) {
            return "the pod's service account";
        }
        return "the Kubernetes configuration of " + config.getMasterUrl();
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String credential() {
        return credential;
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            resources(ArgoKind kind) {
        return client.genericKubernetesResources(CONTEXTS.get(kind));
    }

    @Override
    public ObjectNode create(ArgoKind kind, String ns, ObjectNode manifest) {
        String name = ArgoJson.name(manifest);
        return call("create " + kind + " " + ns + "/" + ArgoJson.shownName(manifest), kind, ns, name,
                () -> toJackson(resources(kind).inNamespace(ns).resource(toFabric8(manifest)).create()));
    }

    @Override
    public Optional<ObjectNode> get(ArgoKind kind, String ns, String name) {
        // fabric8 answers null for a missing object and for a missing resource type alike
        return call("read " + kind + " " + ns + "/" + name, kind, ns, name,
                () -> Optional.ofNullable(resources(kind).inNamespace(ns).withName(name).get()).map(this::toJackson));
    }

    /** Fails with a clear message when the {@code argoproj.io} resources are missing altogether. */
    void requireInstalled(String ns) {
        call("list Workflows in " + ns, ArgoKind.Workflow, ns, "",
                () -> resources(ArgoKind.Workflow).inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L).build()));
    }

    @Override
    public ObjectNode replace(ArgoKind kind, String ns, ObjectNode manifest) {
        String name = ArgoJson.name(manifest);
        return call("replace " + kind + " " + ns + "/" + name, kind, ns, name,
                () -> toJackson(resources(kind).inNamespace(ns).resource(toFabric8(manifest)).update()));
    }

    @Override
    public List<ObjectNode> list(ArgoKind kind, String ns, String label) {
        return call("list " + kind + "s in namespace " + ns, kind, ns, "", () -> resources(kind).inNamespace(ns)
                .withLabel(label).list().getItems().stream().map(this::toJackson).toList());
    }

    @Override
    public boolean delete(ArgoKind kind, String ns, String name) {
        // fabric8 answers an empty list when there was nothing to delete
        return call("delete " + kind + " " + ns + "/" + name, kind, ns, name,
                () -> !resources(kind).inNamespace(ns).withName(name).delete().isEmpty());
    }

    @Override
    public boolean suspendCron(String ns, String name, boolean suspend) {
        // what `argo cron suspend|resume` do without a server: spec.suspend, read by the controller before each run
        String patch = "{\"spec\":{\"suspend\":" + suspend + "}}";
        return call((suspend ? "suspend" : "resume") + " CronWorkflow " + ns + "/" + name, ArgoKind.CronWorkflow, ns,
                name, () -> mergePatch(ArgoKind.CronWorkflow, ns, name, patch));
    }

    /** Merges {@code patch} into the object, as kubectl patch --type merge does; false when there is none. */
    private boolean mergePatch(ArgoKind kind, String ns, String name, String patch) {
        Resource<GenericKubernetesResource> object = resources(kind).inNamespace(ns).withName(name);
        if (object.get() == null) {
            return false;
        }
        object.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return true;
    }

    private static final int HTTP_GONE = 410;

    @Override
    public WorkflowWatch watchWorkflow(String ns, String name, String resourceVersion) {
        StartingWatch watch = new StartingWatch();
        Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                switch (action) {
                    case ADDED, MODIFIED -> watch.report(new WatchSignal.Changed(toJackson(resource)));
                    case DELETED -> watch.report(new WatchSignal.Deleted());
                    case ERROR -> watch.report(new WatchSignal.Dropped("the watch reported an error"));
                    default -> {
                        // BOOKMARK: only moves the resource version, which fabric8 tracks itself
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                watch.report(cause.isHttpGone()
                        ? new WatchSignal.Gone(secrets.redact(String.valueOf(cause.getMessage())))
                        : new WatchSignal.Dropped(secrets.redact(String.valueOf(cause.getMessage()))));
            }

            @Override
            public void onClose() {
                watch.reportClosing(new WatchSignal.Dropped("the watch was closed"));
            }
        };
        String doing = "watch Workflow " + ns + "/" + name;
        CompletableFuture<? extends Watch> started = startWatch(
                resources(ArgoKind.Workflow).inNamespace(ns).withName(name),
                new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), watcher);
        // the version expired before the watch started (the 410 came as the answer, or as the first event while
        // fabric8 still waited for the start): the same signal as an expiry later on
        watch.starting(started, error -> startFailure(unwrap(error), doing));
        try {
            started.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not started yet: the follower's own limits (--timeout, the resync) apply meanwhile
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (!(cause instanceof KubernetesClientException k && k.getCode() == HTTP_GONE)) {
                watch.close();
                call(doing, ArgoKind.Workflow, ns, name, () -> {
                    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                });
            }
        } catch (InterruptedException e) {
            watch.close();
            Thread.currentThread().interrupt();
            throw new ArgoException(Kind.Unreachable, "interrupted while starting to " + doing, "run it again");
        }
        return watch;
    }

    /**
     * How long opening a watch waits for fabric8 to start it before it goes on without: fabric8's own
     * {@code watch()} waits without a limit, and a WebSocket closed by the server as it opened can leave that
     * start pending forever (seen on fabric8 8.0 with Vert.x 5, about once in 40 expiries at the start).
     */
    private static final Duration START_WAIT = Duration.ofSeconds(1);

    /**
     * Starts a watch without waiting for it: fabric8's {@code BaseOperation.submitWatch}, which its own blocking
     * {@code watch()} calls and then waits on without a limit.
     */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<? extends Watch> startWatch(Resource<GenericKubernetesResource> resource,
            ListOptions options, Watcher<GenericKubernetesResource> watcher) {
        try {
            if (resource instanceof BaseOperation<?, ?, ?> operation) {
                return ((BaseOperation<GenericKubernetesResource, ?, ?>) operation).submitWatch(options, watcher);
            }
            return CompletableFuture.completedFuture(resource.watch(options, watcher));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A start that failed, as the one signal the follower gets for it; it reads the Workflow again on either. */
    private WatchSignal startFailure(Throwable cause, String doing) {
        String said = secrets.redact(String.valueOf(cause.getMessage()));
        return cause instanceof KubernetesClientException k && k.getCode() == HTTP_GONE ? new WatchSignal.Gone(said)
                : new WatchSignal.Dropped("could not " + doing + ": " + said);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public Optional<ObjectNode> hydrated(String ns, String name) {
        return argoServer.flatMap(server -> server.hydrated(ns, name));
    }

    @Override
    public Optional<String> podProblem(String ns, String podName) {
        Pod pod;
        try {
            pod = client.pods().inNamespace(ns).withName(podName).get();
        } catch (KubernetesClientException e) {
            return Optional.empty(); // may not read pods: the node's own message is all there is
        }
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    problems.add(join(c.getReason(), c.getMessage()));
                }
            }
        }
        List<ContainerStatus> containers = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            containers.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            containers.addAll(pod.getStatus().getContainerStatuses());
        }
        for (ContainerStatus s : containers) {
            if (s.getState() != null && s.getState().getWaiting() != null
                    && !"ContainerCreating".equals(s.getState().getWaiting().getReason())
                    && !"PodInitializing".equals(s.getState().getWaiting().getReason())) {
                problems.add("container " + s.getName() + ": "
                        + join(s.getState().getWaiting().getReason(), s.getState().getWaiting().getMessage()));
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(secrets.redact(String.join("; ", problems)));
    }

    private static String join(String reason, String message) {
        String r = reason == null ? "" : reason;
        String m = message == null ? "" : message;
        return r.isEmpty() ? m : m.isEmpty() ? r : r + ": " + m;
    }

    @Override
    public void logs(String ns, String workflow, String podName, boolean follow, java.util.OptionalInt tail,
                     Consumer<String> lines) {
        call("read the log of pod " + ns + "/" + podName, null, ns, podName, () -> {
            var pod = client.pods().inNamespace(ns).withName(podName);
            if (pod.get() == null) {
                throw new ArgoException(Kind.NotFound, "pod " + ns + "/" + podName + " does not exist",
                        "Argo's pod garbage collection may have removed it; the log may still be in the"
                                + " artifact repository as `main-logs`");
            }
            var container = pod.inContainer("main");
            io.fabric8.kubernetes.client.dsl.Loggable log = tail.isPresent() ? container.tailingLines(tail.getAsInt()) : container;
            if (!follow) {
                String text = log.getLog();
                text.lines().map(secrets::redact).forEach(lines);
                return null;
            }
            try (LogWatch watch = log.watchLog();
                    BufferedReader reader = new BufferedReader(
                            new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.accept(secrets.redact(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    @Override
    public void shutdown(String ns, String name, Shutdown how, Optional<String> message) {
        // what `argo stop` / `argo terminate` do without a server: set spec.shutdown, the controller does the rest
        String patch = "{\"spec\":{\"shutdown\":\"" + how.name() + "\"}}";
        call(how.name().toLowerCase() + " Workflow " + ns + "/" + name, ArgoKind.Workflow, ns, name, () -> {
            if (!mergePatch(ArgoKind.Workflow, ns, name, patch)) {
                throw notFound(ArgoKind.Workflow, ns, name);
            }
            return null;
        });
    }

    @Override
    public ObjectNode retry(String ns, String name, boolean restartSuccessful, Optional<String> nodeFieldSelector) {
        throw new ArgoException(Kind.Unsupported, "retrying Workflow " + ns + "/" + name
                + " in place needs the Argo Server (it rewrites the node status and deletes pods)",
                "pass --argo-server URL (with --token or ARGO_TOKEN), or start it again with `freestone resubmit`");
    }

    @Override
    public ObjectNode resubmit(String ns, String name, boolean memoized) {
        if (memoized) {
            throw new ArgoException(Kind.Unsupported, "a memoized resubmit of Workflow " + ns + "/" + name
                    + " needs the Argo Server", "pass --argo-server URL (with --token or ARGO_TOKEN), or resubmit"
                    + " without --memoized");
        }
        ObjectNode old = get(ArgoKind.Workflow, ns, name).orElseThrow(() -> notFound(ArgoKind.Workflow, ns, name));
        return WorkflowCreate.once(this, ns, Resubmission.fresh(old));
    }

    @Override
    public void close() {
        client.close();
        argoServer.ifPresent(ArgoApi::close);
    }

    // ---- conversions and errors -----------------------------------------------------------------

    private static GenericKubernetesResource toFabric8(ObjectNode manifest) {
        return Serialization.unmarshal(ArgoJson.write(manifest), GenericKubernetesResource.class);
    }

    private ObjectNode toJackson(GenericKubernetesResource resource) {
        return ArgoJson.parseObject(Serialization.asJson(resource), "the Kubernetes API's answer");
    }

    private static ArgoException notFound(ArgoKind kind, String ns, String name) {
        return new ArgoException(Kind.NotFound, kind + " " + ns + "/" + name + " does not exist",
                "it may have been deleted (a TTL or podGC strategy deletes finished Workflows);"
                        + " list them with `kubectl get " + kind.plural + " -n " + ns + "`");
    }

    private <T> T call(String doing, ArgoKind kind, String ns, String name, Supplier<T> work) {
        try {
            return work.get();
        } catch (KubernetesClientException e) {
            throw translate(e, doing, kind, ns, name);
        } catch (UncheckedIOException | CompletionException e) {
            // a stream that broke off, or an answer the HTTP client could not read: fabric8 does not wrap these
            throw new ArgoException(Kind.Unreachable, "cannot read the answer of the Kubernetes API at "
                    + client.getConfiguration().getMasterUrl() + " to " + doing + ": " + rootCause(e, secrets),
                    "check that the cluster is up and that " + credential + " points at it (`kubectl cluster-info`),"
                            + " then try again");
        }
    }

    /** The innermost cause's message, redacted: fabric8's own wrappers say only "An error has occurred." */
    private static String rootCause(Throwable e, Secrets secrets) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String said = secrets.redact(String.valueOf(root.getMessage()));
        return root instanceof java.nio.file.NoSuchFileException ? "no file " + said : said;
    }

    private ArgoException translate(KubernetesClientException e, String doing, ArgoKind kind, String ns, String name) {
        Status status = e.getStatus();
        String said = secrets.redact(status != null && status.getMessage() != null ? status.getMessage()
                : String.valueOf(e.getMessage()));
        String resource = kind == null ? "pods" : kind.plural + ".argoproj.io";
        int code = e.getCode();
        if (code <= 0) {
            return new ArgoException(Kind.Unreachable, "cannot reach the Kubernetes API at "
                    + client.getConfiguration().getMasterUrl() + " to " + doing + ": " + rootCause(e, secrets),
                    "check that the cluster is up and that " + credential + " points at it (`kubectl cluster-info`)");
        }
        if (ArgoException.isTooLarge(code, said)) {
            return ArgoException.tooLarge(doing, said);
        }
        return switch (code) {
            case 401 -> new ArgoException(Kind.Unauthorized, "the Kubernetes API did not accept the credentials of "
                    + credential + " (401 Unauthorized) to " + doing,
                    "log in again or refresh the credentials (e.g. your cloud's get-credentials command),"
                            + " or choose another context with --context");
            case 403 -> said.contains("admission webhook") || said.contains("denied the request")
                    ? ArgoException.rejectedByPolicy(doing, said)
                    : new ArgoException(Kind.Forbidden, credential + " may not " + doing
                            + " (403 Forbidden on " + resource + " in namespace " + ns + ")",
                            "ask for a Role that allows it in namespace " + ns + ", or choose another namespace"
                                    + " with --namespace");
            case 404 -> said.contains("namespaces \"")
                    ? ArgoException.namespaceMissing(ns)
                    : kind != null && isMissingResourceType(status)
                    ? new ArgoException(Kind.NotInstalled, "Argo Workflows is not installed in namespace " + ns
                            + " of the cluster at " + client.getConfiguration().getMasterUrl()
                            + ": the API has no " + resource + " resource",
                            "install Argo Workflows (kubectl apply -n argo -f .../install.yaml, see"
                                    + " https://argo-workflows.readthedocs.io/en/latest/quick-start/) or choose the"
                                    + " cluster where it runs with --context")
                    : notFound(kind == null ? ArgoKind.Workflow : kind, ns, name);
            case 409 -> new ArgoException(Kind.Conflict, "cannot " + doing + ": " + said,
                    status != null && "AlreadyExists".equals(status.getReason())
                            ? "choose another name, or delete the existing one first"
                            : "it changed meanwhile; try again");
            case 400, 422 -> ArgoException.isAdmissionDenial(said) ? ArgoException.rejectedByPolicy(doing, said)
                    : new ArgoException(Kind.Invalid, "the Kubernetes API rejected the request to " + doing + ": "
                    + causes(status, said),
                    "the cluster's Argo CRDs may be older than the fields Freestone uses (it targets Argo v4.1);"
                            + " compare with `kubectl get crd workflows.argoproj.io -o yaml`");
            default -> new ArgoException(code >= 500 ? Kind.Server : Kind.Invalid, "the Kubernetes API failed to "
                    + doing + " (" + code + "): " + said, "try again; if it persists, check the API server's health");
        };
    }

    /** A 404 without details names no object: the URL itself (the resource type) does not exist. */
    private static boolean isMissingResourceType(Status status) {
        return status == null || status.getDetails() == null || status.getDetails().getName() == null
                || status.getDetails().getName().isBlank();
    }

    private String causes(Status status, String said) {
        if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null
                || status.getDetails().getCauses().isEmpty()) {
            return said;
        }
        List<String> parts = new ArrayList<>();
        for (StatusCause c : status.getDetails().getCauses()) {
            String field = c.getField() == null || c.getField().isBlank() ? "" : "field `" + c.getField() + "`: ";
            parts.add(field + secrets.redact(String.valueOf(c.getMessage())));
        }
        return String.join("; ", parts);
    }
}
