package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.argo.ArgoTarget;
import dev.freestone.runtime.argo.BearerToken;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import java.io.File;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How the cluster commands reach Argo, the same flags everywhere (a picocli mixin). Two modes:
 * the Kubernetes API with kubectl's credentials ({@code --kubeconfig} / {@code KUBECONFIG} /
 * {@code ~/.kube/config}, {@code --context}), the default; or an Argo Server ({@code --argo-server}
 * with {@code --token} or {@code ARGO_TOKEN}). The two are exclusive, so that a command never
 * silently talks to something other than what the user named.
 *
 * <p>{@code submit} records the connection it used (never the token) as the run's {@value #EVENT}
 * event; commands on an existing run reuse it unless connection flags are given again.
 */
final class ClusterOptions {
    /** The run event that remembers how the run was submitted (mode, context or server URL; no secret). */
    static final String EVENT = "argo.target";

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace on the cluster (default: the kubeconfig context's, else `default`).")
    String namespace;

    @Option(names = "--context", paramLabel = "CTX", description = "kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else in-cluster); a named file"
                    + " without a context and cluster to use is an error.")
    Path kubeconfig;

    @Option(names = "--argo-server", paramLabel = "URL",
            description = "Talk to this Argo Server (REST) instead of the Kubernetes API, e.g. https://argo.example.com:2746.")
    String argoServer;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token for --argo-server (default: ARGO_TOKEN; prefer it, flags show in the process list).")
    String token;

    @Option(names = "--insecure", description = "Do not verify the Argo Server's TLS certificate (prints a warning).")
    boolean insecure;

    private boolean kubernetesFlags() {
        return context != null || kubeconfig != null;
    }

    private boolean anyFlags() {
        return kubernetesFlags() || argoServer != null;
    }

    /** The target for a new submission: the flags, else kubectl's configuration. */
    ArgoTarget target() {
        if (argoServer != null && kubernetesFlags()) {
            throw new UserError("--argo-server cannot be combined with --context or --kubeconfig",
                    "choose one: the Kubernetes API (kubeconfig) or the Argo Server (URL and token)", Main.USAGE);
        }
        String ns = namespace == null ? "" : namespace;
        if (argoServer != null) {
            return server(argoServer, ns, insecure);
        }
        return new ArgoTarget.Kubernetes(Optional.ofNullable(context), ns, Optional.empty(), kubeconfigFile());
    }

    /**
     * The target for commands on an existing run: connection flags when given, else what the run was
     * submitted with; the namespace is the run's own.
     */
    ArgoTarget target(RunStore store, RunRecord run) {
        String ns = run.remote().map(r -> r.namespace()).orElse(namespace == null ? "" : namespace);
        if (anyFlags()) {
            ArgoTarget flags = target();
            return flags instanceof ArgoTarget.ArgoServer s ? server(s.baseUrl().toString(), ns, s.insecure())
                    : new ArgoTarget.Kubernetes(Optional.ofNullable(context), ns, Optional.empty(), kubeconfigFile());
        }
        Optional<JsonNode> recorded = recorded(store, run.id());
        if (recorded.isPresent() && recorded.get().has("argoServer")) {
            return server(recorded.get().get("argoServer").asText(), ns, recorded.get().path("insecure").asBoolean(false));
        }
        Optional<String> ctx = recorded.map(r -> r.path("context").asText("")).filter(s -> !s.isEmpty());
        Optional<Path> file = recorded.map(r -> r.path("kubeconfig").asText("")).filter(s -> !s.isEmpty())
                .map(Path::of).or(this::kubeconfigFile);
        return new ArgoTarget.Kubernetes(ctx, ns, Optional.empty(), file);
    }

    /**
     * Remembers the connection flags {@code runId} was submitted with (context, kubeconfig file or
     * server URL; never a token), so that later commands on the run reach the same cluster.
     */
    void record(RunStore store, String runId) {
        ObjectNode o = Cli.JSON.createObjectNode();
        if (argoServer != null) {
            o.put("argoServer", argoServer);
            o.put("insecure", insecure);
        } else {
            if (context != null) {
                o.put("context", context);
            }
            if (kubeconfig != null) {
                o.put("kubeconfig", kubeconfig.toAbsolutePath().normalize().toString());
            }
        }
        store.appendEvent(runId, Optional.empty(), EVENT, o.toString());
    }

    /** For a run started from another ({@code resubmit}): the flags given now, else the old run's connection. */
    void recordFor(RunStore store, String oldRunId, String newRunId) {
        if (anyFlags()) {
            record(store, newRunId);
            return;
        }
        store.events(oldRunId).stream().filter(e -> e.kind().equals(EVENT)).findFirst()
                .ifPresent(e -> store.appendEvent(newRunId, Optional.empty(), EVENT, e.message()));
    }

    private static Optional<JsonNode> recorded(RunStore store, String runId) {
        for (EventRecord e : store.events(runId)) {
            if (e.kind().equals(EVENT)) {
                try {
                    return Optional.of(Cli.JSON.readTree(e.message()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Connects; warnings (TLS verification off) go to {@code err}. */
    static ArgoBackend connect(ArgoTarget target, RunStore store, PrintWriter err) {
        ArgoBackend backend = ArgoBackend.connect(target, store, w -> {
            err.println(w);
            err.flush();
        });
        return backend;
    }

    /** {@code --kubeconfig}, else a single-file {@code KUBECONFIG}; a list of files is left to fabric8 to merge. */
    private Optional<Path> kubeconfigFile() {
        if (kubeconfig != null) {
            // a file named on the command line that is not there is a usage error, like a missing .pipe
            // file (one named by KUBECONFIG is the environment's: the backend reports it, exit 1)
            if (!java.nio.file.Files.isRegularFile(kubeconfig)) {
                throw new UserError("no kubeconfig file at " + kubeconfig.toAbsolutePath(),
                        "check the path given to --kubeconfig, or leave it out to use KUBECONFIG or ~/.kube/config",
                        Main.USAGE);
            }
            return Optional.of(kubeconfig);
        }
        String env = Cli.env().get("KUBECONFIG");
        if (env == null || env.isBlank() || env.contains(File.pathSeparator)) {
            return Optional.empty();
        }
        return Optional.of(Path.of(env));
    }

    private ArgoTarget.ArgoServer server(String url, String ns, boolean insecureTls) {
        refuseCredentials(url);
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (URISyntaxException e) {
            throw new UserError("--argo-server: `" + url + "` is not a URL", "e.g. --argo-server https://argo.example.com:2746",
                    Main.USAGE);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UserError("--argo-server: `" + url + "` is not an http(s) URL",
                    "e.g. --argo-server https://argo.example.com:2746", Main.USAGE);
        }
        Map<String, String> env = Cli.env();
        Optional<BearerToken> bearer = BearerToken.resolve(Optional.ofNullable(token), env);
        return new ArgoTarget.ArgoServer(uri, ns, bearer, insecureTls);
    }

    /**
     * A usage error, without repeating the URL, when it holds a user or password ({@code user:password@})
     * or a query: the URL is recorded with the run (to reach the same server later) and named in messages,
     * so credentials in it would be kept and shown. Judged on the text, before parsing: a password holding
     * {@code #} or {@code /} would otherwise read as a fragment or a path, and the parse error quote it.
     */
    private static void refuseCredentials(String url) {
        boolean user = url.contains("@");
        boolean query = url.contains("?");
        if (!user && !query) {
            return;
        }
        // what follows the last `@` is the host (a password may hold `@`, `/` or `#` itself)
        int scheme = url.indexOf("://");
        String rest = user ? url.substring(url.lastIndexOf('@') + 1) : scheme < 0 ? url : url.substring(scheme + 3);
        String host = rest.split("[/?#]", 2)[0];
        throw new UserError("--argo-server: the URL holds " + (user ? "a user or password (`user:password@`)" : "a query (`?...`)")
                + ", which would be stored with the run and shown in messages",
                "give the server's root, e.g. https://" + host + ", and the token with ARGO_TOKEN", Main.USAGE);
    }
}
