package dev.freestone.runtime.argo;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where Argo runs and how Freestone talks to it: the Kubernetes API (default) or an Argo Server. */
public sealed interface ArgoTarget {

    /** The namespace that Workflows are created in and read from. */
    String namespace();

    /**
     * The Kubernetes API through fabric8: credentials from {@code KUBECONFIG} / {@code ~/.kube/config}
     * ({@code context} picks one, else the current context), or the pod's service account in-cluster.
     *
     * @param namespace  blank: the context's namespace, else {@code default}
     * @param argoServer used only to read node status that Argo offloaded to its database
     * @param kubeconfig one kubeconfig file to read instead of {@code KUBECONFIG} / {@code ~/.kube/config}; it
     *                   must give a context and its cluster (no in-cluster fallback for a file that does not)
     */
    record Kubernetes(Optional<String> context, String namespace, Optional<ArgoServer> argoServer,
            Optional<Path> kubeconfig) implements ArgoTarget {
        public Kubernetes {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(argoServer, "argoServer");
            Objects.requireNonNull(kubeconfig, "kubeconfig");
        }
    }

    /**
     * The Argo Server's REST API.
     *
     * @param baseUrl  e.g. {@code https://argo.example.com:2746}
     * @param insecure skip TLS verification (prints a warning); verified by default
     */
    record ArgoServer(URI baseUrl, String namespace, Optional<BearerToken> token, boolean insecure)
            implements ArgoTarget {
        public ArgoServer {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(token, "token");
            String scheme = baseUrl.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("the Argo Server URL must start with https:// or http://: "
                        + baseUrl);
            }
        }

        @Override
        public String toString() {
            return "ArgoServer[" + baseUrl + ", " + namespace + ", " + token.map(BearerToken::source).orElse("no token")
                    + (insecure ? ", insecure" : "") + "]";
        }
    }
}
