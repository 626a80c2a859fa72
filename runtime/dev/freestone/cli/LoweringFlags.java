package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import dev.freestone.lower.argo.ArgoLint;
import dev.freestone.lower.argo.LintFinding;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The Argo settings every command that lowers a pipeline takes ({@code compile}, {@code submit},
 * {@code schedule}, {@code publish}), and the lint every lowered bundle passes before it is written
 * or sent. A picocli mixin, so the flags read the same everywhere.
 */
final class LoweringFlags {
    @Option(names = "--service-account", description = "spec.serviceAccountName.")
    String serviceAccount;

    @Option(names = "--pod-gc", paramLabel = "STRATEGY", description = "podGC strategy, e.g. OnPodSuccess, OnWorkflowCompletion.")
    String podGc;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "ttlStrategy.secondsAfterCompletion.")
    Integer ttl;

    @Option(names = "--artifact-repository", paramLabel = "CONFIGMAP[:KEY]", description = "artifactRepositoryRef.")
    String artifactRepository;

    @Option(names = "--cache-configmap", defaultValue = LowerOptions.DEFAULT_CACHE_CONFIGMAP,
            description = "ConfigMap that holds Argo's memoization cache. Default: ${DEFAULT-VALUE}.")
    String cacheConfigMap;

    /** {@code base} with these flags laid over it. */
    LowerOptions applyTo(LowerOptions base) {
        LowerOptions options = base.withServiceAccountName(serviceAccount)
                .withPodGcStrategy(podGc)
                .withTtlSecondsAfterCompletion(ttl)
                .withMemoizeConfigMap(cacheConfigMap);
        if (artifactRepository != null) {
            int colon = artifactRepository.indexOf(':');
            options = colon < 0 ? options.withArtifactRepositoryRef(artifactRepository, null)
                    : options.withArtifactRepositoryRef(artifactRepository.substring(0, colon),
                    artifactRepository.substring(colon + 1));
        }
        return options;
    }

    /** True when the lowering itself reported an error other than the size budget: its manifest is partial. */
    static boolean loweringFailed(Lowered lowered) {
        return lowered.diagnostics().stream().anyMatch(d -> d.isError() && d.code() != Code.E0701);
    }

    /**
     * ArgoLint's findings as E0702 at {@code where}; none when the lowering already failed, since a
     * partial manifest would only add noise about the same place.
     */
    static List<Diagnostic> lint(Lowered lowered, Span where) {
        List<Diagnostic> out = new ArrayList<>();
        if (loweringFailed(lowered)) {
            return out;
        }
        for (LintFinding f : ArgoLint.lint(new ArrayList<JsonNode>(lowered.manifests()))) {
            out.add(Diagnostic.of(Code.E0702, where, f.code() + " at " + f.path() + ": " + f.message()));
        }
        return out;
    }
}
